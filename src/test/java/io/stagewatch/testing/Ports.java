package io.stagewatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** Free TCP ports on this machine, for servers that cannot be told to pick one themselves. */
public final class Ports {

    private Ports() {}

    /** A port nothing listens on right now (another process may take it before the caller does: rare enough). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
