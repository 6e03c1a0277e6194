package io.stagewatch.testing;

import java.util.Arrays;
import java.util.List;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.junit5.GreenMailExtension;

/** What the GreenMail SMTP server received, read per recipient. */
public record Mailbox(GreenMailExtension server) {

    /** Subjects of the mails received for {@code recipient}, in order of arrival. */
    public List<String> subjects(String recipient) {
        return to(recipient).stream().map(Mailbox::subject).toList();
    }

    /** Message-IDs of the mails received for {@code recipient}. */
    public List<String> messageIds(String recipient) {
        return to(recipient).stream().map(Mailbox::messageId).toList();
    }

    public List<MimeMessage> to(String recipient) {
        return Arrays.stream(server.getReceivedMessages()).filter(m -> isFor(m, recipient)).toList();
    }

    /** The part of a multipart mail with the given content type ({@code text/html}, {@code text/plain}), decoded. */
    public static String part(MimeMessage message, String contentType) {
        try {
            return find(message, contentType);
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(jakarta.mail.Part part, String contentType) throws MessagingException, java.io.IOException {
        if (part.isMimeType(contentType)) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof jakarta.mail.Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = find(multipart.getBodyPart(i), contentType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    public static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String messageId(MimeMessage message) {
        try {
            return message.getMessageID();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isFor(MimeMessage message, String recipient) {
        try {
            var to = message.getRecipients(Message.RecipientType.TO);
            return to != null && Arrays.stream(to).anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
