package org.switchboard.core.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.switchboard.core.api.Call;
import org.switchboard.core.api.Channel;
import org.switchboard.core.api.ChannelState;

/** A call and its executor. */
final class CallImpl implements Call {

    private final String id;
    private final CallEngine engine;
    private final SerialExecutor executor;
    private final Instant startedAt = Instant.now();
    private final List<ChannelImpl> channels = new CopyOnWriteArrayList<>();

    CallImpl(String id, CallEngine engine, SerialExecutor executor) {
        this.id = id;
        this.engine = engine;
        this.executor = executor;
    }

    CallEngine engine() {
        return engine;
    }

    SerialExecutor executor() {
        return executor;
    }

    void add(ChannelImpl channel) {
        channels.add(channel);
    }

    List<ChannelImpl> legs() {
        return channels;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public Instant startedAt() {
        return startedAt;
    }

    @Override
    public List<Channel> channels() {
        return List.copyOf(channels);
    }

    @Override
    public Channel origin() {
        return channels.get(0);
    }

    @Override
    public Optional<Channel> channel(String channelId) {
        for (ChannelImpl c : channels) {
            if (c.id().equals(channelId)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean ended() {
        for (ChannelImpl c : channels) {
            if (c.state() != ChannelState.HUNG_UP) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "call " + id;
    }
}
