package io.stagewatch.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pipeline globs become LIKE patterns that PostgreSQL, evaluating {@code value LIKE pattern ESCAPE '\'}, matches
 * exactly as the glob would: {@code *} any run, {@code ?} one character, everything else only itself. The matching is
 * checked with {@link #like}, a model of PostgreSQL's LIKE (the resource test checks the real one).
 */
class PipelineGlobTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*              | %",
                "payments-api   | payments-api",
                "payments-*     | payments-%",
                "*-api          | %-api",
                "pay?ents-*     | pay_ents-%",
                "ci_build       | ci\\_build",
                "100%           | 100\\%",
                "a\\b           | a\\\\b",
                "**             | %%",
                "\\*            | \\\\%",
                "_%\\?*         | \\_\\%\\\\_%"
            })
    void translatesWildcardsAndEscapesLikeMetacharacters(String glob, String like) {
        assertEquals(like, PipelineGlob.toLike(glob));
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "*          | payments-api  | true",
                "*          | ''            | true",
                "payments-* | payments-api  | true",
                "payments-* | payments-     | true",
                "payments-* | checkout-api  | false",
                "payments-* | xpayments-api | false",
                "*-api      | payments-api  | true",
                "*-api      | payments-apis | false",
                "pay?ents   | payments      | true",
                "pay?ents   | payents       | false",
                "pay?ents   | paymments     | false",
                "ci_build   | ci_build      | true",
                "ci_build   | ciXbuild      | false",
                "100%       | 100%          | true",
                "100%       | 1000          | false",
                "100%       | 100%-more     | false",
                "a\\b       | a\\b          | true",
                "a\\b       | ab            | false",
                "a\\*       | a\\xyz        | true",
                "a\\*       | axyz          | false",
                "Payments-* | payments-api  | false"
            })
    void likePatternMatchesWhatTheGlobMatches(String glob, String pipeline, boolean matches) {
        assertEquals(matches, like(pipeline, PipelineGlob.toLike(glob)));
    }

    @Test
    void theModelRejectsAPatternEndingInAnEscapeAsPostgresqlDoes() {
        assertThrows(IllegalArgumentException.class, () -> like("a", "a\\"));
    }

    @Test
    void noGlobEndsInALoneEscape() {
        for (String glob : new String[] {"\\", "a\\", "\\\\", "*\\", "?\\"}) {
            like("x", PipelineGlob.toLike(glob)); // throws if the pattern were malformed
        }
    }

    /**
     * PostgreSQL's {@code value LIKE pattern ESCAPE '\'}: {@code %} any run, {@code _} one character, {@code \x} the
     * character x; case-sensitive; the whole value must match; a pattern ending in the escape is an error.
     */
    static boolean like(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                if (++i == pattern.length()) {
                    throw new IllegalArgumentException("LIKE pattern must not end with escape character");
                }
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(value).matches();
    }
}
