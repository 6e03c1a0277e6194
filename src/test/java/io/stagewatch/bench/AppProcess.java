package io.stagewatch.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) in a JVM of its own, and what can be read of
 * it from outside: CPU time and RSS from {@code /proc/<pid>}, the live heap from {@code jcmd <pid>
 * GC.class_histogram} (which runs a full GC first and counts every object still reachable), and its Prometheus
 * metrics.
 */
final class AppProcess implements AutoCloseable {

    /** Clock ticks per second of {@code /proc/<pid>/stat}'s utime and stime (USER_HZ: 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    private final Process process;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private AppProcess(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /**
     * Starts the jar with {@code -Xmx<heap>}, the given system properties, and its output to {@code log}.
     */
    static AppProcess start(Path jar, String heap, Map<String, String> properties, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-Dquarkus.http.port=" + port);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // a benchmark stopped half-way must not leave the application running
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new AppProcess(process, port);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** User plus system CPU seconds the process has used so far. */
    double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the CPU time of process " + pid(), e);
        }
    }

    /** {@code VmRSS} and {@code VmHWM} of {@code /proc/<pid>/status}, in bytes. */
    Map<String, Long> memory() throws IOException {
        Map<String, Long> memory = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
            for (String key : new String[] { "VmRSS", "VmHWM" }) {
                if (line.startsWith(key + ":")) {
                    memory.put(key, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        }
        return memory;
    }

    /**
     * The live heap: {@code jcmd GC.class_histogram} runs a full GC and then counts the objects left. Returns the
     * total bytes and the {@code top} largest classes.
     */
    Histogram liveHeap(int top) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(2, TimeUnit.MINUTES);
        long total = -1;
        Map<String, Long> classes = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 3 && "Total".equals(fields[0])) {
                total = Long.parseLong(fields[2]);
            } else if (fields.length >= 4 && fields[0].endsWith(":") && classes.size() < top) {
                classes.put(fields[3], Long.parseLong(fields[2]));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("jcmd GC.class_histogram gave no total:\n" + output);
        }
        return new Histogram(total, classes);
    }

    record Histogram(long totalBytes, Map<String, Long> largestClasses) {
    }

    /** The value of an untagged metric in Prometheus text ({@code name} as exported), or NaN when absent. */
    double metric(String name) throws IOException, InterruptedException {
        for (String line : get("/q/metrics").split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** True when {@code /q/health/ready} answers 200. */
    boolean ready() {
        try {
            HttpResponse<Void> response = http.send(request("/q/health/ready"), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString()).body();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10))
                .build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** SIGTERM, then SIGKILL after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
