package io.stagewatch.api;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.stagewatch.notification.RecipientPolicy;
import io.stagewatch.store.RuleRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Keeps one owner's rules as one rules file says, or, without a file, keeps the owner free of file rules. Each
 * {@link #poll()} reads the file and, when its content is not what this instance last read, loads it. A file that
 * cannot be loaded changes nothing stored: it is logged with its line and reason, counted, and stays the
 * {@link #problem()} until a later content loads. What this instance last read is not loaded again, so an instance
 * that sees a change later than another does not write the older content back over it in the meantime.
 */
final class RulesFileSync {

    private static final Logger LOG = Logger.getLogger(RulesFileSync.class);

    private final Path file;
    private final String owner;
    private final UnaryOperator<String> environment;
    private final RuleRepository rules;
    private final Set<String> allowedHosts;
    private final RecipientPolicy policy;
    private final Runnable onInvalid;
    private volatile boolean read;
    private volatile byte[] lastRead;
    private volatile String problem;

    /**
     * @param file      null: the owner has no rules file
     * @param onInvalid told of each content that cannot be loaded
     */
    RulesFileSync(
            Path file,
            String owner,
            UnaryOperator<String> environment,
            RuleRepository rules,
            Set<String> allowedHosts,
            RecipientPolicy policy,
            Runnable onInvalid) {
        this.file = file;
        this.owner = owner;
        this.environment = environment;
        this.rules = rules;
        this.allowedHosts = allowedHosts;
        this.policy = policy;
        this.onInvalid = onInvalid;
    }

    /** Loads the file when its content changed (the first time, whatever it holds). Never fails. */
    Uni<Void> poll() {
        if (file == null) {
            return rules.replaceOwned(owner, null, null, List.of())
                    .invoke(changed -> {
                        if (changed) {
                            LOG.infof("No rules file: removed the file rules of owner '%s'", owner);
                        }
                    })
                    .replaceWithVoid()
                    .onFailure()
                    .recoverWithUni(this::failed);
        }
        return Uni.createFrom()
                .item(this::read)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .flatMap(this::load)
                .onFailure()
                .recoverWithUni(this::failed);
    }

    /** Why the file's last content was not loaded: {@code <file>:<line>: <reason>}; null once loaded. */
    String problem() {
        return problem;
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads the content read (null: no file) unless it is what was read last. */
    private Uni<Void> load(byte[] content) {
        if (read && Arrays.equals(content, lastRead)) {
            return Uni.createFrom().voidItem();
        }
        read = true;
        lastRead = content;
        RulesFile parsed;
        try {
            if (content == null) {
                throw new RulesFile.Invalid(0, "the file does not exist");
            }
            parsed = RulesFile.parse(file.toString(), content, environment, allowedHosts, policy);
        } catch (RulesFile.Invalid e) {
            refuse(e);
            return Uni.createFrom().voidItem();
        }
        return rules.replaceOwned(owner, file.toString(), parsed.digest(), parsed.rules())
                .invoke(changed -> {
                    problem = null;
                    if (changed) {
                        LOG.infof(
                                "Loaded %d rules of owner '%s' from %s",
                                parsed.rules().size(), owner, file);
                    }
                })
                .replaceWithVoid();
    }

    private void refuse(RulesFile.Invalid e) {
        problem = file + ":" + e.line() + ": " + e.getMessage();
        onInvalid.run();
        LOG.warnf("Rules file not loaded, the rules loaded before stay: %s", problem);
    }

    /** A read or a write that failed: tried again at the next poll. */
    private Uni<Void> failed(Throwable failure) {
        read = false;
        LOG.warnf("Rules of owner '%s' not synchronized, trying again: %s", owner, failure.getMessage());
        return Uni.createFrom().voidItem();
    }
}
