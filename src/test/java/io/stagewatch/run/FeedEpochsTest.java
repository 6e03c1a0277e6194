package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Positions across the feed's epochs: moved by each restore, or unknown (a reset) beyond what it brought. */
class FeedEpochsTest {

    /** Epoch 1: restored up to (900, 40), moved by 901; epoch 2: restored up to (-1, 60) and (500, 70), not moved. */
    private static final FeedEpochs RESTORED_TWICE = new FeedEpochs(List.of(
            new FeedEpochs.Epoch(0, 0, null),
            new FeedEpochs.Epoch(1, 901, new FeedPosition(900, 40)),
            new FeedEpochs.Epoch(2, 0, new FeedPosition(500, 70))));

    @Test
    void epochZeroKeepsThePositionsOfReleasesBeforeEpochs() {
        assertEquals("12-7", FeedEpochs.FIRST.encode(new FeedPosition(12, 7)));
        assertEquals(Optional.of(new FeedPosition(12, 7)), FeedEpochs.FIRST.resume("12-7"));
    }

    @Test
    void laterEpochsNameTheirNumberAndMayHoldNegativeXids() {
        assertEquals("2.-5-60", RESTORED_TWICE.encode(new FeedPosition(-5, 60)));
        assertEquals(Optional.of(new FeedPosition(-5, 60)), RESTORED_TWICE.resume("2.-5-60"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            # held position | in the last epoch, or empty for a reset
            899-39          | -2-39
            900-40          | -1-40
            900-41          |
            901-1           |
            1.-1-40         | -1-40
            1.499-65        | 499-65
            1.500-70        | 500-70
            1.500-71        |
            3.1-1           |
            """)
    void aHeldPositionMovesWithEachRestoreOrIsUnknownBeyondWhatItBrought(String held, String expected) {
        assertEquals(Optional.ofNullable(expected).map(FeedPosition::decode), RESTORED_TWICE.resume(held), held);
    }

    @Test
    void aRestoreThatBroughtNoTransitionKnowsNoEarlierPosition() {
        FeedEpochs empty = new FeedEpochs(List.of(new FeedEpochs.Epoch(0, 0, null), new FeedEpochs.Epoch(1, 0, null)));
        assertEquals(Optional.empty(), empty.resume("5-5"));
    }

    @Test
    void textThatIsNoPositionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FeedEpochs.FIRST.resume("x.1-2"));
        assertThrows(IllegalArgumentException.class, () -> FeedEpochs.FIRST.resume("1-"));
    }
}
