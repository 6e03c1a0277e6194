package io.stagewatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, built by {@code mvn package}) in a JVM of its own,
 * on a free HTTP port and a free management port (health and metrics), with the given configuration as system
 * properties and its output in a log file. It can be stopped as Kubernetes stops a container (SIGTERM, then SIGKILL
 * after the grace period) or killed outright.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;

    private ServiceProcess(String name, int port, int managementPort, Process process) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
    }

    /**
     * Starts the service with {@code config} as {@code -D} properties, its output appended to {@code log}, and waits
     * until it answers its readiness probe.
     */
    public static ServiceProcess start(String name, Map<String, String> config, Path log, Duration ready) {
        return start(name, JAR, List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), config, log, ready);
    }

    /** Starts another build of the service ({@code jar}) with the given JVM options (heap, GC). */
    public static ServiceProcess start(
            String name, Path jar, List<String> jvmOptions, Map<String, String> config, Path log, Duration ready) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn package` (or `mvn verify`) first");
        }
        int port = Ports.free();
        int managementPort = Ports.free();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            // a test or benchmark stopped half-way must not leave the service running
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            ServiceProcess service = new ServiceProcess(name, port, managementPort, process);
            service.awaitReady(ready, log);
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A path of the management interface, e.g. {@code /q/metrics}. */
    public URI managementUri(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** User plus system CPU seconds the process has used so far, from {@code /proc/<pid>/stat} (Linux). */
    public double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // the fields after the command name, which is in parentheses and may hold spaces; utime and stime are in
            // clock ticks, USER_HZ = 100 on Linux
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code VmRSS} and {@code VmHWM} (peak RSS) of {@code /proc/<pid>/status}, in bytes. */
    public Map<String, Long> memory() {
        Map<String, Long> memory = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    memory.put(
                            line.substring(0, line.indexOf(':')), Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return memory;
    }

    /**
     * The live heap: {@code jcmd <pid> GC.class_histogram} runs a full GC, then counts every object still reachable.
     * Returns the total bytes and the {@code top} largest classes.
     */
    public Histogram liveHeap(int top) {
        try {
            Process jcmd = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(pid()),
                            "GC.class_histogram")
                    .redirectErrorStream(true)
                    .start();
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What {@link #liveHeap} counted: every live object's bytes, and the classes that take the most. */
    public record Histogram(long totalBytes, Map<String, Long> largestClasses) {}

    /** SIGTERM, then waits for the exit; SIGKILL after {@code grace}, as the kubelet does. Returns the exit code. */
    public int stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    /** SIGKILL: nothing of the service's shutdown runs. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** GET on the service, the body if it answered 200, else null. */
    public String get(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The value of a metric in the Prometheus scrape, e.g. {@code stagewatch_feed_clients}; empty when absent. */
    public OptionalDouble metric(String sample) {
        String scrape = get(managementUri("/q/metrics"));
        if (scrape == null) {
            return OptionalDouble.empty();
        }
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + "(?:\\{[^}]*})? ([0-9.eE+-]+|NaN)$")
                .matcher(scrape);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    private void awaitReady(Duration timeout, Path log) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + log);
            }
            if (get(managementUri("/q/health/ready")) != null) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        kill();
        throw new IllegalStateException(name + " was not ready within " + timeout + ", see " + log);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
