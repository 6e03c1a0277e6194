package io.stagewatch.testing;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An SMTP server on 127.0.0.1 (GreenMail) that accepts every mail for every address: for the tests (a JUnit extension
 * around the test class, stopped and started again at will), the demo and the outbox benchmark. Each mail is noted
 * per recipient as GreenMail delivers it, before it answers the DATA command: a mail noted is a mail accepted.
 */
public final class MailSink implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /**
     * The port the test profile's mailer sends to ({@code %test.quarkus.mailer.port}): {@code -Dtest.smtp.port}, which
     * the pom sets per Surefire fork, else 3025.
     */
    public static final int TEST_PORT = Integer.getInteger("test.smtp.port", 3025);

    /** One mail accepted for one recipient. */
    public record Delivery(Instant at, String recipient, String subject, String messageId) {}

    private final GreenMail greenMail;
    private boolean discarding;
    private Consumer<Delivery> listener = delivery -> {};
    private final AtomicLong lastNanos = new AtomicLong();
    private final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();

    private MailSink(int port) {
        this.greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    }

    /** A sink on {@code 127.0.0.1:port}, not started yet, that stores every mail. */
    public static MailSink on(int port) {
        return new MailSink(port);
    }

    /**
     * Stores no mail. GreenMail delivers mails one at a time, storing each in a mailbox found by scanning every
     * mailbox: with thousands of recipients that serial step would be what a benchmark measures, and a long demo would
     * fill the heap. {@link #acceptedAt}, {@link #lastNanos} and the listener still see every mail.
     */
    public MailSink discarding() {
        this.discarding = true;
        return this;
    }

    /** Called for every mail and recipient, on GreenMail's connection thread, before the mail is accepted. */
    public MailSink onDelivery(Consumer<Delivery> listener) {
        this.listener = listener;
        return this;
    }

    public MailSink start() {
        greenMail.start();
        // start() creates the managers, anew after each stop(): the handler can only be replaced now
        var users = greenMail.getUserManager();
        var deliver = users.getMessageDeliveryHandler();
        GreenMailUser nobody =
                discarding ? discardingUser(greenMail.setUser("sink@example.org", "sink", "sink")) : null;
        users.setMessageDeliveryHandler((message, recipient) -> {
            noted(message, recipient);
            return discarding ? nobody : deliver.handle(message, recipient);
        });
        return this;
    }

    public void stop() {
        greenMail.stop();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void noted(MovingMessage message, MailAddress recipient) {
        Instant now = Instant.now();
        MimeMessage mime = message.getMessage();
        String subject;
        String messageId;
        try {
            subject = mime.getSubject();
            messageId = mime.getMessageID();
        } catch (MessagingException e) {
            subject = "(unreadable: " + e.getMessage() + ")";
            messageId = null;
        }
        if (messageId != null) {
            acceptedAt.putIfAbsent(messageId, now);
        }
        lastNanos.set(System.nanoTime());
        listener.accept(new Delivery(now, recipient.getEmail(), subject, messageId));
    }

    /** The user, except that a mail delivered to it is dropped instead of stored. */
    private static GreenMailUser discardingUser(GreenMailUser user) {
        return (GreenMailUser) Proxy.newProxyInstance(
                GreenMailUser.class.getClassLoader(), new Class<?>[] {GreenMailUser.class}, (proxy, method, args) -> {
                    if (method.getName().equals("deliver")) {
                        return null;
                    }
                    try {
                        return method.invoke(user, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---- what was accepted

    /** {@link System#nanoTime()} of the last mail accepted, over restarts. */
    public long lastNanos() {
        return lastNanos.get();
    }

    /** When the mail with this Message-ID was first accepted, over restarts; null if never. */
    public Instant acceptedAt(String messageId) {
        return acceptedAt.get(messageId);
    }

    // ---- what was stored since the last start

    public List<MimeMessage> all() {
        return List.of(greenMail.getReceivedMessages());
    }

    public List<MimeMessage> to(String recipient) {
        return all().stream().filter(m -> isFor(m, recipient)).toList();
    }

    /** Subjects of the mails stored for {@code recipient}, in order of arrival. */
    public List<String> subjects(String recipient) {
        return to(recipient).stream().map(MailSink::subject).toList();
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

    /** The part of a multipart mail with the given content type ({@code text/html}, {@code text/plain}), decoded. */
    public static String part(MimeMessage message, String contentType) {
        try {
            return find(message, contentType);
        } catch (MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Part part, String contentType) throws MessagingException, java.io.IOException {
        if (part.isMimeType(contentType)) {
            return (String) part.getContent();
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                String found = find(multipart.getBodyPart(i), contentType);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
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
