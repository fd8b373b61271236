package io.sendpath.actors.stream;

import io.sendpath.protocol.Payload;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/** Sources of the load generator's bytes (DESIGN §4), as the application hands them to write(). */
public final class PayloadSource {
  private PayloadSource() {}

  /**
   * The first 'bytes' bytes of a connection's generated stream in elements of 'writeSize' bytes
   * (the last may be shorter). Each element is a view of the seed's table, not a copy
   * (ByteString.fromArrayUnsafe); one that crosses the table's end is two views concatenated.
   */
  public static Source<ByteString, NotUsed> generated(Payload.Generated payload, long bytes, int writeSize) {
    if (bytes < 0) throw new IllegalArgumentException("bytes must not be negative: " + bytes);
    if (writeSize <= 0) throw new IllegalArgumentException("writeSize must be positive: " + writeSize);
    return Source.fromIterator(() -> new Windows(payload, bytes, writeSize));
  }

  /** Stream bytes [offset, offset + len) of 'payload' as views of its table. */
  public static ByteString window(Payload.Generated payload, long offset, int len) {
    byte[] table = payload.table();
    int pos = payload.tablePosition(offset);
    int first = Math.min(len, Payload.Generated.PERIOD - pos);
    ByteString out = ByteString.fromArrayUnsafe(table, pos, first);
    for (int done = first; done < len; ) {
      int n = Math.min(len - done, Payload.Generated.PERIOD);
      out = out.concat(ByteString.fromArrayUnsafe(table, 0, n));
      done += n;
    }
    return out;
  }

  private static final class Windows implements Iterator<ByteString> {
    private final Payload.Generated payload;
    private final long end;
    private final int writeSize;
    /** Stream offset of the next element; never beyond end. */
    private long next;

    Windows(Payload.Generated payload, long end, int writeSize) {
      this.payload = payload;
      this.end = end;
      this.writeSize = writeSize;
    }

    @Override
    public boolean hasNext() {
      return next < end;
    }

    @Override
    public ByteString next() {
      if (next >= end) throw new NoSuchElementException();
      int len = (int) Math.min(writeSize, end - next);
      ByteString w = window(payload, next, len);
      next += len;
      return w;
    }
  }
}
