package org.switchboard.ivr.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.switchboard.media.wav.WavException;
import org.switchboard.media.wav.WavReader;

/**
 * The prompts in {@code etc/prompts/<lang>/<name>.wav}, read into memory once (8 kHz mono PCM)
 * so that playing them never touches the disk on the media clock. A file that changes on disk is
 * read again the next time a menu is loaded.
 */
final class PromptStore {

    private final Path root;
    private final Map<Path, Loaded> cache = new ConcurrentHashMap<>();

    private record Loaded(long modified, short[] samples) {
    }

    PromptStore(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path file(String language, String name) {
        return root.resolve(language).resolve(name + ".wav");
    }

    /**
     * The samples of a prompt, loading (or reloading) the file.
     *
     * @throws WavException naming the file and what is wrong with it (missing, not a WAV, ...)
     */
    short[] load(String language, String name) throws WavException {
        Path f = file(language, name);
        long modified;
        try {
            modified = Files.getLastModifiedTime(f).toMillis();
        } catch (java.io.IOException e) {
            throw new WavException(f, "missing");
        }
        Loaded l = cache.get(f);
        if (l != null && l.modified() == modified) {
            return l.samples();
        }
        short[] s = WavReader.readAllMono8k(f);
        cache.put(f, new Loaded(modified, s));
        return s;
    }

    /** Already loaded (menus load every prompt they name before they serve). */
    short[] cached(String language, String name) {
        Loaded l = cache.get(file(language, name));
        return l == null ? new short[0] : l.samples();
    }

    int size() {
        return cache.size();
    }
}
