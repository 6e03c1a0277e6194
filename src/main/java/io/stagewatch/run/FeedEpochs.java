package io.stagewatch.run;

import java.util.List;
import java.util.Optional;

/**
 * The databases the feed has lived in, oldest first, and what a position of each means in the last one. Transaction
 * ids belong to one PostgreSQL cluster: a logical restore begins a new epoch, which may move the restored transitions'
 * xids ({@link Epoch#shift()}). Clients see a position as {@code <xid>-<id>} in epoch 0 (as before epochs existed) and
 * {@code <epoch>.<xid>-<id>} after it.
 */
public record FeedEpochs(List<Epoch> epochs) {

    /** Epoch 0 alone: a database never restored. */
    public static final FeedEpochs FIRST = new FeedEpochs(List.of(new Epoch(0, 0, null)));

    /**
     * One epoch.
     *
     * @param shift    subtracted from the xid of every transition of the previous epoch when this one began
     * @param restored the last position of the previous epoch (in its own terms) that this database holds; null when
     *                 it holds none
     */
    public record Epoch(int number, long shift, FeedPosition restored) {}

    public FeedEpochs {
        epochs = List.copyOf(epochs);
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no feed epoch");
        }
    }

    /** The epoch this database is in. */
    public int current() {
        return epochs.get(epochs.size() - 1).number();
    }

    /** A position of the current epoch as clients see it. */
    public String encode(FeedPosition position) {
        return current() == 0 ? position.encode() : current() + "." + position.encode();
    }

    /**
     * The position in the current epoch of one a client holds, or empty when the order after it cannot be known here:
     * it lies beyond what a restore brought (the client saw transitions this database does not hold), or in an epoch
     * this database has not reached (it was restored from before the client's position).
     *
     * @throws IllegalArgumentException when the text is not an encoded position
     */
    public Optional<FeedPosition> resume(String text) {
        int dot = text.indexOf('.');
        int epoch;
        try {
            epoch = dot < 0 ? 0 : Integer.parseInt(text.substring(0, dot));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a feed position: " + text, e);
        }
        FeedPosition position = FeedPosition.decode(text.substring(dot + 1));
        if (epoch > current() || epoch < 0) {
            return Optional.empty();
        }
        for (Epoch later : epochs) {
            if (later.number() <= epoch) {
                continue;
            }
            if (later.restored() == null || position.isAfter(later.restored())) {
                return Optional.empty();
            }
            position = new FeedPosition(position.xid() - later.shift(), position.id());
        }
        return Optional.of(position);
    }
}
