package io.stagewatch.run;

/**
 * A place in the feed: the transaction that wrote a transition, then the transition's id. Transitions become visible
 * in this order once every older transaction has ended, which ids alone do not give. Clients see it as the opaque SSE
 * id {@code <xid>-<id>}.
 */
public record FeedPosition(long xid, long id) implements Comparable<FeedPosition> {

    /** Before every transition. */
    public static final FeedPosition START = new FeedPosition(0, 0);
    /** After every transition. */
    public static final FeedPosition END = new FeedPosition(Long.MAX_VALUE, Long.MAX_VALUE);

    @Override
    public int compareTo(FeedPosition other) {
        int byTransaction = Long.compare(xid, other.xid);
        return byTransaction != 0 ? byTransaction : Long.compare(id, other.id);
    }

    public boolean isAfter(FeedPosition other) {
        return compareTo(other) > 0;
    }

    public String encode() {
        return xid + "-" + id;
    }

    /** @throws IllegalArgumentException when the text is not an encoded position */
    public static FeedPosition decode(String text) {
        int dash = text.lastIndexOf('-'); // the xid may be negative (FeedEpochs), the id never is
        if (dash <= 0) {
            throw new IllegalArgumentException("not a feed position: " + text);
        }
        try {
            return new FeedPosition(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a feed position: " + text, e);
        }
    }
}
