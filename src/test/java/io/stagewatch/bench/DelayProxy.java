package io.stagewatch.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that holds every chunk the server sends back for {@code delayMillis} before passing it on: one
 * round trip more per response, as with a remote SMTP relay. Requests pass at once. Each connection has its own
 * threads, so connections do not wait for each other. Only for {@code -Dbench.smtp.rtt.ms}.
 */
final class DelayProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final long delayMillis;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    DelayProxy(int port, int targetPort, long delayMillis) {
        this.targetPort = targetPort;
        this.delayMillis = delayMillis;
        try {
            this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + port, e);
        }
        Thread acceptor = new Thread(this::accept, "delay-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                target.setTcpNoDelay(true);
                open.add(client);
                open.add(target);
                pump(client, target, 0);
                pump(target, client, delayMillis);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection drop
            }
        }
    }

    private void pump(Socket from, Socket to, long delay) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close(from);
                close(to);
            }
        }, "delay-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // best effort
        }
        open.forEach(DelayProxy::close);
        open.clear();
    }
}
