package io.stagewatch.notification;

/**
 * A pipeline glob: {@code *} matches any run of characters (none too), {@code ?} exactly one; every other character
 * matches itself.
 */
public final class PipelineGlob {

    private PipelineGlob() {}

    /**
     * The glob as a SQL pattern for {@code value LIKE pattern ESCAPE '\'}: {@code *} becomes {@code %}, {@code ?}
     * becomes {@code _}, and the LIKE metacharacters {@code %}, {@code _} and {@code \} are escaped with a backslash so
     * that they match only themselves.
     */
    public static String toLike(String glob) {
        StringBuilder like = new StringBuilder(glob.length() + 8);
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> like.append('%');
                case '?' -> like.append('_');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}
