package io.stagewatch.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** The position after the last run of a page: runs are listed by (createdAt, uid), newest first. */
public record RunCursor(Instant createdAt, String uid) {

    public String encode() {
        String plain = createdAt.getEpochSecond() + "." + createdAt.getNano() + "/" + uid;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when the text is not a cursor this class wrote */
    public static RunCursor decode(String text) {
        String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        int slash = plain.indexOf('/');
        int dot = plain.indexOf('.');
        if (slash < 0 || dot < 0 || dot > slash) {
            throw new IllegalArgumentException("not a cursor");
        }
        long seconds = Long.parseLong(plain.substring(0, dot));
        long nanos = Long.parseLong(plain.substring(dot + 1, slash));
        return new RunCursor(Instant.ofEpochSecond(seconds, nanos), plain.substring(slash + 1));
    }
}
