package io.stagewatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the CPU went during a phase: this JVM (the application and the benchmark's publisher) and the whole machine
 * (from /proc/stat, so PostgreSQL and pgbench are in it), in cores busy on average. On a 2-core machine it tells a
 * phase limited by the CPU (machine near 2 cores) from one limited by waiting (commits, locks, round trips).
 */
record CpuSample(long nanos, long jvmCpuNanos, long machineBusyTicks, long machineTotalTicks) {

    static CpuSample now() {
        long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
        long busy = -1;
        long total = -1;
        try {
            // cpu  user nice system idle iowait irq softirq steal ...
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            total = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                total += Long.parseLong(fields[i]);
            }
            busy = total - Long.parseLong(fields[4]) - Long.parseLong(fields[5]);
        } catch (IOException | RuntimeException e) {
            // not Linux: machine figures stay unknown
        }
        return new CpuSample(System.nanoTime(), jvm, busy, total);
    }

    /** Cores busy on average since {@code before}: {"jvm_cores", "machine_cores"}. */
    Map<String, Object> since(CpuSample before) {
        Map<String, Object> cores = new LinkedHashMap<>();
        double seconds = (nanos - before.nanos) / 1e9;
        if (jvmCpuNanos >= 0 && before.jvmCpuNanos >= 0) {
            cores.put("jvm_cores", Math.round((jvmCpuNanos - before.jvmCpuNanos) / 1e9 / seconds * 100) / 100.0);
        }
        if (machineTotalTicks > before.machineTotalTicks && before.machineTotalTicks >= 0) {
            double busyShare = (double) (machineBusyTicks - before.machineBusyTicks)
                    / (machineTotalTicks - before.machineTotalTicks);
            cores.put(
                    "machine_cores", Math.round(busyShare * Runtime.getRuntime().availableProcessors() * 100) / 100.0);
        }
        return cores;
    }
}
