package io.stagewatch.kube;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * The byte format of a slim pod in the informer cache ({@link SlimPods#compact}): unsigned varints for counts and
 * lengths; numbers that may be null or negative as a presence flag and a zig-zag varint; strings as their UTF-8
 * length plus one (0 for null), then their bytes. A cached pod costs its bytes and one array header, instead of some
 * forty model objects, each with its own map of unknown properties and its empty lists.
 */
final class CompactBytes {

    private CompactBytes() {}

    /** Appends to a growing array; {@link #bytes()} returns an array of the exact length. */
    static final class Writer {

        private byte[] buffer = new byte[512];
        private int length;

        void unsigned(long value) {
            while ((value & ~0x7FL) != 0) {
                put((byte) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            put((byte) value);
        }

        /** A number that may be null or negative: 0 for null, else 1 and its zig-zag form. */
        void number(Long value) {
            unsigned(value == null ? 0 : 1);
            if (value != null) {
                unsigned((value << 1) ^ (value >> 63));
            }
        }

        void string(String value) {
            if (value == null) {
                unsigned(0);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            unsigned(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, length, utf8.length);
            length += utf8.length;
        }

        /** A list's size plus one, 0 for null; the caller writes the items. */
        void count(Collection<?> items) {
            unsigned(items == null ? 0 : items.size() + 1L);
        }

        byte[] bytes() {
            return Arrays.copyOf(buffer, length);
        }

        private void put(byte value) {
            ensure(1);
            buffer[length++] = value;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }

    /** Reads back, in the order written. */
    static final class Reader {

        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        long unsigned() {
            long value = 0;
            for (int shift = 0; ; shift += 7) {
                byte next = bytes[position++];
                value |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    return value;
                }
            }
        }

        Long number() {
            if (unsigned() == 0) {
                return null;
            }
            long zigzag = unsigned();
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        String string() {
            int length = (int) unsigned() - 1;
            if (length < 0) {
                return null;
            }
            String value = new String(bytes, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }

        /** A count written by {@link Writer#count}: -1 for null. */
        int count() {
            return (int) unsigned() - 1;
        }
    }
}
