package org.switchboard.core.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks given to it one at a time, in order, on a shared pool: the per-call executor.
 * Many calls share few threads, and no two tasks of one call ever run at once.
 */
final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Executor pool;
    private final String name;
    private volatile Thread runner;

    SerialExecutor(Executor pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /** Whether the calling thread is running one of this executor's tasks. */
    boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void schedule() {
        if (!tasks.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                pool.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.debug("{}: pool shut down, {} task(s) dropped", name, tasks.size());
                tasks.clear();
            }
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            // A bounded batch, so one busy call cannot starve the others sharing the pool.
            for (int i = 0; i < 64; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("{}: call-control task failed", name, e);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
            schedule();
        }
    }
}
