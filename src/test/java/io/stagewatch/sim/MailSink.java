package io.stagewatch.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.mail.MovingMessage;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The demo's SMTP server: GreenMail on 127.0.0.1, accepting every mail for every address, and one line per received
 * mail and recipient (time, recipient, subject, Message-ID) on standard output and in a log file. The line is written
 * when GreenMail delivers the mail, before it answers the DATA command: a mail in the log is a mail the SMTP server
 * accepted. Stored mails are purged every ten minutes so that a long demo does not fill the heap (the log keeps them).
 */
final class MailSink implements AutoCloseable {

    private final GreenMail greenMail;
    private final Writer log;
    private final ScheduledExecutorService purger;

    private MailSink(GreenMail greenMail, Writer log, ScheduledExecutorService purger) {
        this.greenMail = greenMail;
        this.log = log;
        this.purger = purger;
    }

    /** Starts the server on {@code 127.0.0.1:port}; the log file is truncated. */
    static MailSink start(int port, Path logFile) throws IOException {
        Path dir = logFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        GreenMail greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        greenMail.start();
        ScheduledExecutorService purger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-mail-purge");
            t.setDaemon(true);
            return t;
        });
        MailSink sink = new MailSink(greenMail, log, purger);
        // start() creates the managers: the handler can only be replaced once it ran
        var users = greenMail.getUserManager();
        MessageDeliveryHandler deliver = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            sink.received(message, recipient);
            return deliver.handle(message, recipient);
        });
        purger.scheduleWithFixedDelay(sink::purge, 10, 10, TimeUnit.MINUTES);
        return sink;
    }

    private void received(MovingMessage message, MailAddress recipient) {
        MimeMessage mime = message.getMessage();
        String subject;
        String messageId;
        try {
            subject = mime.getSubject();
            messageId = mime.getMessageID();
        } catch (MessagingException e) {
            subject = "(unreadable: " + e.getMessage() + ")";
            messageId = "(unreadable)";
        }
        String line = String.format("mail to %s subject \"%s\" message-id %s", recipient.getEmail(), subject, messageId);
        SimulatedCluster.log(line);
        synchronized (log) {
            try {
                log.write(SimulatedCluster.timestamp() + " " + line + "\n");
                log.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void purge() {
        try {
            greenMail.purgeEmailFromAllMailboxes();
        } catch (FolderException | RuntimeException e) {
            SimulatedCluster.log("could not purge the SMTP sink's mailboxes: " + e);
        }
    }

    @Override
    public void close() {
        purger.shutdownNow();
        greenMail.stop();
        synchronized (log) {
            try {
                log.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
