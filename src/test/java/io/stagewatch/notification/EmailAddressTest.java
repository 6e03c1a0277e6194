package io.stagewatch.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which recipient addresses a rule accepts, and the form it stores them in. */
class EmailAddressTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ops@example.org",
                "Ops.Team@Example.ORG",
                "first.last+ci@mail.example.co.uk",
                "a@b.io",
                "o'neil@example.org",
                "x_y-z@sub-domain.example.org",
                "dev@localhost",
                "123@456.example"
            })
    void commonAddressesAreValid(String address) {
        assertTrue(EmailAddress.isValid(address), address);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "ops",
                "@example.org",
                "ops@",
                "ops@@example.org",
                "ops@a@example.org",
                "ops@example",
                "ops@.example.org",
                "ops@example.org.",
                "ops@example..org",
                "ops@-example.org",
                "ops@example-.org",
                "ops@exa_mple.org",
                ".ops@example.org",
                "ops.@example.org",
                "o..ps@example.org",
                "ops @example.org",
                " ops@example.org",
                "ops@example.org ",
                "ops\t@example.org",
                "ops@exam\u0000ple.org",
                "ops@example.org\r\nBcc: victim@example.org",
                "ops@example.org\n",
                "ops\r@example.org",
                "a,b@example.org",
                "a;b@example.org",
                "<ops@example.org>",
                "\"ops\"@example.org",
                "ops(x)@example.org",
                "ops@[127.0.0.1]",
                "jörg@example.org",
                "ops@exämple.org",
                "ops:x@example.org",
                "ops\\x@example.org"
            })
    void malformedOrHeaderBreakingAddressesAreInvalid(String address) {
        assertFalse(EmailAddress.isValid(address), address);
    }

    @Test
    void nullIsInvalid() {
        assertFalse(EmailAddress.isValid(null));
    }

    @Test
    void atMost254CharactersAndA64CharacterLocalPart() {
        String local = "l".repeat(64);
        String longest = local + "@" + domain(57);
        assertEquals(254, longest.length());
        assertTrue(EmailAddress.isValid(longest));
        String tooLong = local + "@" + domain(58);
        assertEquals(255, tooLong.length());
        assertFalse(EmailAddress.isValid(tooLong), "255 characters, every part within its own limit");
        assertFalse(EmailAddress.isValid("l" + local + "@example.org"), "65-character local part");
        assertFalse(EmailAddress.isValid("ops@" + "d".repeat(64) + ".org"), "64-character domain label");
    }

    /** Four labels, none over 63 characters. */
    private static String domain(int third) {
        return "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(third) + ".org";
    }

    @Test
    void normalizingTrimsAndLowerCases() {
        assertEquals("ops.team@example.org", EmailAddress.normalize("  Ops.Team@Example.ORG \t"));
        assertTrue(EmailAddress.isValid(EmailAddress.normalize(" OPS@EXAMPLE.ORG ")));
    }
}
