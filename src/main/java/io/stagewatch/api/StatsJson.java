package io.stagewatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.stagewatch.run.FailureReason;
import io.stagewatch.store.FailureStats;
import io.stagewatch.store.StatsGrouping;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Failure statistics as GET /api/stats answers them: every UTC day of the window, with zeros where nothing finished. */
@RegisterForReflection
public record StatsJson(Instant since, String by, List<Group> groups, List<Day> days) {

    /** {@code text} is a reason's words (those of the mails and of {@code reasonText}), given when grouped by reason. */
    @RegisterForReflection
    public record Group(
            String key,
            @JsonInclude(JsonInclude.Include.NON_NULL) String text,
            long succeeded,
            long failed,
            long workload,
            long infrastructure) {}

    @RegisterForReflection
    public record Day(String day, long succeeded, long workload, long infrastructure) {}

    static StatsJson of(Instant since, Instant now, StatsGrouping by, FailureStats stats) {
        List<Group> groups = stats.groups().stream()
                .map(g -> new Group(
                        g.key(),
                        by == StatsGrouping.REASON ? words(g.key()) : null,
                        g.succeeded(),
                        g.failed(),
                        g.workload(),
                        g.infrastructure()))
                .toList();
        Map<LocalDate, FailureStats.Day> counted = new HashMap<>();
        stats.days().forEach(day -> counted.put(day.day(), day));
        List<Day> days = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(now, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(since, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            FailureStats.Day found = counted.get(day);
            days.add(
                    found == null
                            ? new Day(day.toString(), 0, 0, 0)
                            : new Day(day.toString(), found.succeeded(), found.workload(), found.infrastructure()));
        }
        return new StatsJson(since, by.name().toLowerCase(Locale.ROOT), groups, days);
    }

    /** The words of a reason the database holds; null for {@code none} (succeeded runs) and any name this build lacks. */
    private static String words(String reason) {
        return Arrays.stream(FailureReason.values())
                .filter(r -> r.name().equals(reason))
                .findFirst()
                .map(FailureReason::words)
                .orElse(null);
    }
}
