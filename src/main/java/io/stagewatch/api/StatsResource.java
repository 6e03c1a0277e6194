package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.stagewatch.run.Platform;
import io.stagewatch.run.Stage;
import io.stagewatch.run.Text;
import io.stagewatch.store.RunStatsRepository;
import io.stagewatch.store.StatsFilter;
import io.stagewatch.store.StatsGrouping;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Failure statistics: finished runs since a while ago, per group and per day, counted by the database. */
@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    static final Duration LONGEST = Duration.ofDays(366);
    private static final Pattern SHORT = Pattern.compile("(\\d{1,6})([mhdw])");
    private static final Map<String, ChronoUnit> UNITS =
            Map.of("m", ChronoUnit.MINUTES, "h", ChronoUnit.HOURS, "d", ChronoUnit.DAYS, "w", ChronoUnit.WEEKS);

    private final RunStatsRepository stats;

    public StatsResource(RunStatsRepository stats) {
        this.stats = stats;
    }

    @RolesAllowed(ApiSecurity.VIEWER)
    @GET
    public Uni<StatsJson> get(
            @QueryParam("since") @DefaultValue("7d") String since,
            @QueryParam("by") @DefaultValue("cause") String by,
            @QueryParam("stage") String stage,
            @QueryParam("pipeline") String pipeline,
            @QueryParam("platform") String platform,
            @QueryParam("cluster") String cluster) {
        Duration window = window(since);
        StatsGrouping grouping = grouping(by);
        StatsFilter filter = new StatsFilter(
                QueryParameters.enumValue(Stage.class, "stage", stage),
                Text.blankToNull(pipeline),
                platform(platform),
                QueryParameters.cluster(cluster));
        Instant now = Instant.now();
        Instant from = now.minus(window);
        return stats.stats(from, grouping, filter).map(found -> StatsJson.of(from, now, grouping, found));
    }

    /** {@code 30m}, {@code 12h}, {@code 7d}, {@code 2w} or an ISO-8601 duration, above zero and at most 366 days. */
    static Duration window(String value) {
        String text = value.trim();
        Duration window = null;
        Matcher matcher = SHORT.matcher(text);
        if (matcher.matches()) {
            window = UNITS.get(matcher.group(2)).getDuration().multipliedBy(Long.parseLong(matcher.group(1)));
        } else {
            try {
                window = Duration.parse(text);
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        if (window == null || window.isZero() || window.isNegative() || window.compareTo(LONGEST) > 0) {
            throw ProblemException.badRequest(
                    "since",
                    "since must be a duration such as 30m, 12h, 7d, 2w or P7D, above " + "zero and at most 366d, not '"
                            + value + "'");
        }
        return window;
    }

    /** A platform's id, or null for every platform. */
    static String platform(String value) {
        if (Text.isBlank(value)) {
            return null;
        }
        return Platform.fromId(value.trim())
                .map(Platform::id)
                .orElseThrow(() -> ProblemException.badRequest(
                        "platform",
                        "platform must be one of "
                                + Arrays.stream(Platform.values())
                                        .map(Platform::id)
                                        .toList() + ", not '" + value + "'"));
    }

    static StatsGrouping grouping(String value) {
        try {
            return StatsGrouping.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "by",
                    "by must be one of "
                            + Arrays.stream(StatsGrouping.values())
                                    .map(g -> g.name().toLowerCase(Locale.ROOT))
                                    .toList() + ", not '" + value + "'");
        }
    }
}
