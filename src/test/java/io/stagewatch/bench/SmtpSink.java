package io.stagewatch.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.MessagingException;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The outbox benchmark's SMTP server: GreenMail on 127.0.0.1, in the benchmark's JVM, accepting every mail. It notes
 * when each mail was accepted (GreenMail delivers a mail before it answers the DATA command with 250), by Message-ID,
 * so that the benchmark can measure from the outbox row's {@code created_at} (the transition's commit) to the SMTP
 * server's acceptance, independently of the application's own timer.
 *
 * <p>
 * GreenMail reads and parses every mail as usual, but stores none: it delivers mails one at a time (its
 * {@code SmtpManager.send} is synchronized), and storing a mail, in a mailbox per recipient found by scanning every
 * mailbox, would make that serial step, not stagewatch, the thing measured (with thousands of recipients, each delivery
 * costs O(recipients so far)). The acceptance times are all the benchmark needs.
 */
final class SmtpSink implements AutoCloseable {

    private final GreenMail greenMail;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicLong lastNanos = new AtomicLong();
    private final Map<String, Instant> acceptedAt = new ConcurrentHashMap<>();

    private SmtpSink(GreenMail greenMail) {
        this.greenMail = greenMail;
    }

    static SmtpSink start(int port) {
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        SmtpSink sink = new SmtpSink(greenMail);
        // start() creates the managers: the handler can only be replaced once it ran
        GreenMailUser mailbox = discarding(greenMail.setUser("sink@bench.example.org", "sink", "sink"));
        greenMail.getUserManager().setMessageDeliveryHandler((message, recipient) -> {
            Instant now = Instant.now();
            String id;
            try {
                id = message.getMessage().getMessageID();
            } catch (MessagingException e) {
                id = null;
            }
            if (id != null) {
                acceptedAt(sink, id, now);
            }
            sink.received.incrementAndGet();
            sink.lastNanos.set(System.nanoTime());
            return mailbox;
        });
        return sink;
    }

    /** The user, except that a mail delivered to it is dropped instead of stored. */
    private static GreenMailUser discarding(GreenMailUser user) {
        return (GreenMailUser) Proxy.newProxyInstance(GreenMailUser.class.getClassLoader(),
                new Class<?>[] { GreenMailUser.class }, (proxy, method, args) -> {
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

    private static void acceptedAt(SmtpSink sink, String messageId, Instant at) {
        sink.acceptedAt.merge(messageId, at, (first, later) -> first);
    }

    /** Mails (recipients) received so far. */
    int received() {
        return received.get();
    }

    /** {@link System#nanoTime()} of the last mail received. */
    long lastNanos() {
        return lastNanos.get();
    }

    /** When the mail with this Message-ID was first accepted; null if never. */
    Instant acceptedAt(String messageId) {
        return acceptedAt.get(messageId);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
