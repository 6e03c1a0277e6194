package io.stagewatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of a local port. A test can cut it and restore it, to play a server that goes away and
 * comes back; and it can hold every chunk the server sends back for a while, one round trip more per response, to play
 * a remote server; or it can hang every new connection, to play a server that accepts TCP and never answers. Each
 * connection has its own threads, so connections do not wait for each other.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long responseDelayMillis;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean hung;

    /** On a free port, passing everything at once. */
    public TcpProxy(int targetPort) {
        this(0, targetPort, Duration.ZERO);
    }

    /** On {@code port} (0: a free one); requests pass at once, responses after {@code responseDelay}. */
    public TcpProxy(int port, int targetPort, Duration responseDelay) {
        this.targetPort = targetPort;
        this.responseDelayMillis = responseDelay.toMillis();
        try {
            this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + port, e);
        }
        Thread acceptor = new Thread(this::accept, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection; new ones are accepted and closed at once until {@link #restore()}. */
    public void cut() {
        cut = true;
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /**
     * Plays a server that hangs: new connections are accepted and then hear nothing, ever (a hang before the greeting),
     * and on open connections nothing more reaches the server (a hang before the end of what is being sent, so nothing
     * more is accepted), until {@link #restore()} closes them all.
     */
    public void hang() {
        hung = true;
    }

    public void restore() {
        if (hung) {
            hung = false;
            open.forEach(TcpProxy::closeQuietly);
            open.clear();
        }
        cut = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                if (hung) {
                    open.add(client);
                    continue;
                }
                client.setTcpNoDelay(true);
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                target.setTcpNoDelay(true);
                open.add(client);
                open.add(target);
                pump(client, target, 0, true);
                pump(target, client, responseDelayMillis, false);
            } catch (IOException e) {
                // closed or target refused: the client sees its connection drop
            }
        }
    }

    /** Copies {@code from} to {@code to}; a request ({@code toServer}) is held while the proxy {@link #hang hangs}. */
    private void pump(Socket from, Socket to, long delayMillis, boolean toServer) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            if (delayMillis > 0) {
                                Thread.sleep(delayMillis);
                            }
                            if (toServer && hung) {
                                // what the client sent during the hang never reaches the server: the connection ends
                                // with it
                                while (hung) {
                                    Thread.sleep(20);
                                }
                                break;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
