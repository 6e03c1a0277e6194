package io.stagewatch.api;

import io.stagewatch.run.ClusterName;
import io.stagewatch.run.Text;
import java.util.List;
import java.util.Locale;

/** Query parameters the resources share; a bad value is a 400 problem that names the parameter. */
final class QueryParameters {

    private static final int MAX_LIMIT = 500;

    private QueryParameters() {}

    /**
     * Parses an enum filter given by its API name; the CI/CD stage labels ({@code pre-cd}) are accepted too.
     *
     * @return the constant, or null when the value is blank
     */
    static <E extends Enum<E>> E enumValue(Class<E> type, String parameter, String value) {
        if (Text.isBlank(value)) {
            return null;
        }
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    parameter, "'" + value + "' is not one of " + List.of(type.getEnumConstants()));
        }
    }

    /** A cluster's name, or null when the value is blank. */
    static String cluster(String value) {
        if (Text.isBlank(value)) {
            return null;
        }
        if (!ClusterName.isValid(value)) {
            throw ProblemException.badRequest(
                    "cluster", "cluster must be a cluster name (a DNS label), not '" + value + "'");
        }
        return value;
    }

    /** A page size, from 1 to 500. */
    static int limit(String value) {
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest(
                "limit", "limit must be an integer from 1 to " + MAX_LIMIT + ", not '" + value + "'");
    }
}
