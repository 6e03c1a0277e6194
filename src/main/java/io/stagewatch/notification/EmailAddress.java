package io.stagewatch.notification;

import java.util.Locale;

/**
 * A pragmatic check of e-mail addresses, strict enough that an accepted address is one recipient and cannot break a
 * mail header: {@code local@domain}, one {@code @}, no whitespace or control characters, no header specials
 * ({@code , ; < > " ( ) [ ] \ :}), a dotted domain of letter/digit/hyphen labels or {@code localhost}, at most 254
 * characters. Not RFC 5322: quoted local parts, address literals and unencoded international names are refused.
 */
public final class EmailAddress {

    private static final int MAX_LENGTH = 254;
    private static final int MAX_LOCAL_LENGTH = 64;
    private static final int MAX_LABEL_LENGTH = 63;
    /** The RFC 5322 atext specials allowed in a local part besides letters, digits and dots. */
    private static final String LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private EmailAddress() {}

    public static boolean isValid(String address) {
        if (address == null || address.isEmpty() || address.length() > MAX_LENGTH) {
            return false;
        }
        int at = address.indexOf('@');
        if (at < 0 || at != address.lastIndexOf('@')) {
            return false;
        }
        return isLocalPart(address.substring(0, at)) && isDomain(address.substring(at + 1));
    }

    /** The address as rules store it: trimmed and lower-cased. */
    public static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isLocalPart(String local) {
        if (local.isEmpty()
                || local.length() > MAX_LOCAL_LENGTH
                || local.startsWith(".")
                || local.endsWith(".")
                || local.contains("..")) {
            return false;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && LOCAL_SPECIALS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDomain(String domain) {
        if (domain.equalsIgnoreCase("localhost")) {
            return true;
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
