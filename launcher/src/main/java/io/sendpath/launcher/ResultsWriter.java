package io.sendpath.launcher;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sendpath.actors.run.ConnStats;
import io.sendpath.actors.run.RunResult;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes a run's results folder: summary.json (totals, counters, invariant violations, the effective
 * scenario and seed) and connections.jsonl (one tcp_info-style object per connection, field names
 * as in include/uapi/linux/tcp.h without the tcpi_ prefix). Existing files of the same name are
 * overwritten; other files in the folder are left alone.
 */
final class ResultsWriter {
  static final String SUMMARY = "summary.json";
  static final String CONNECTIONS = "connections.jsonl";
  static final String PCAP = "frames.pcap";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsWriter() {}

  static void write(Path dir, Scenario scenario, RunResult result) throws IOException {
    Files.createDirectories(dir);
    MAPPER.writeValue(dir.resolve(SUMMARY).toFile(), summary(scenario, result));
    writeConnections(dir.resolve(CONNECTIONS), result.connectionStats());
  }

  /** summary.json as an ordered map. */
  static Map<String, Object> summary(Scenario scenario, RunResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", r.connections());
    m.put("bytesAccepted", r.bytesAccepted());
    m.put("bytesDelivered", r.bytesDelivered());
    m.put("framesEmitted", r.framesEmitted());
    m.put("retransmittedSegments", r.retransmittedSegments());
    m.put("simulatedSeconds", r.simulatedSeconds());
    m.put("wallSeconds", r.wallSeconds());
    m.put("speed", r.wallSeconds() > 0 ? r.simulatedSeconds() / r.wallSeconds() : null);
    m.put("eventsDelivered", r.eventsDelivered());
    m.put("invariantViolations", r.invariantViolations() == null ? List.of() : r.invariantViolations());
    // host totals of the send path's backpressure: writer sleeps, TSQ throttles, socket backlog drops
    long sndbufWaits = 0, tsqThrottles = 0;
    if (r.connectionStats() != null) {
      for (ConnStats c : r.connectionStats()) {
        sndbufWaits += c.sndbufWaits();
        tsqThrottles += c.tsqThrottles();
      }
    }
    m.put("sndbufWaits", sndbufWaits);
    m.put("tsqThrottles", tsqThrottles);
    m.put("backlogDrops", r.counters() == null ? 0L : r.counters().getOrDefault("TcpExtTCPBacklogDrop", 0L));
    m.put("counters", orderedCounters(r.counters()));
    if (r.faults() != null && !r.faults().isEmpty()) {
      m.put("faults", r.faults());
      List<Map<String, Object>> timeline = new java.util.ArrayList<>();
      for (io.sendpath.fault.FaultLog.Event e : r.faultTimeline()) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("t_ns", e.timeNs());
        line.put("fault", e.fault());
        line.put("what", e.what());
        timeline.add(line);
      }
      m.put("faultTimeline", timeline);
    }
    m.put("seed", scenario.runConfig().seed());
    m.put("scenarioFile", scenario.source());
    m.put("scenario", scenario.effectiveSettings());
    return m;
  }

  /** Keeps an ordered map's order; sorts any other by name so files compare across runs. */
  private static Map<String, Long> orderedCounters(Map<String, Long> counters) {
    if (counters == null) return Map.of();
    if (counters instanceof LinkedHashMap || counters instanceof SortedMap) return counters;
    return new TreeMap<>(counters);
  }

  /** One JSON object per line, streamed: no per-connection map, fine for a million connections. */
  static void writeConnections(Path file, List<ConnStats> stats) throws IOException {
    JsonFactory factory = MAPPER.getFactory();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
         JsonGenerator gen = factory.createGenerator(out, JsonEncoding.UTF8)) {
      gen.setRootValueSeparator(null);
      if (stats == null) return;
      for (ConnStats c : stats) {
        writeConnection(gen, c);
        gen.writeRaw('\n');
      }
    }
  }

  private static void writeConnection(JsonGenerator gen, ConnStats c) throws IOException {
    gen.writeStartObject();
    gen.writeNumberField("id", c.id());
    gen.writeStringField("local", c.local());
    gen.writeStringField("remote", c.remote());
    gen.writeStringField("state", c.state());
    gen.writeNumberField("cwnd", c.cwnd());                    // tcpi_snd_cwnd
    gen.writeNumberField("ssthresh", c.ssthresh());            // tcpi_snd_ssthresh
    gen.writeNumberField("srtt_us", c.srttUs());               // tcpi_rtt
    gen.writeNumberField("rttvar_us", c.rttvarUs());           // tcpi_rttvar
    gen.writeNumberField("rto_us", c.rtoUs());                 // tcpi_rto
    gen.writeNumberField("min_rtt_us", c.minRttUs());          // tcpi_min_rtt
    gen.writeNumberField("mss", c.mss());                      // tcpi_snd_mss
    gen.writeNumberField("bytes_sent", c.bytesSent());         // tcpi_bytes_sent
    gen.writeNumberField("bytes_acked", c.bytesAcked());       // tcpi_bytes_acked
    gen.writeNumberField("bytes_retrans", c.bytesRetrans());   // tcpi_bytes_retrans
    gen.writeNumberField("bytes_received_by_peer", c.bytesReceivedByPeer());
    gen.writeNumberField("segs_out", c.segsOut());             // tcpi_segs_out
    gen.writeNumberField("retrans", c.retransSegs());          // tcpi_total_retrans
    gen.writeNumberField("lost", c.lost());                    // tcpi_lost
    gen.writeNumberField("unacked", c.unacked());              // tcpi_unacked
    gen.writeNumberField("pacing_rate", c.pacingRate());       // tcpi_pacing_rate, bytes/s
    gen.writeNumberField("busy_us", c.busyUs());               // tcpi_busy_time
    gen.writeNumberField("rwnd_limited_us", c.rwndLimitedUs()); // tcpi_rwnd_limited
    gen.writeNumberField("sndbuf_limited_us", c.sndbufLimitedUs()); // tcpi_sndbuf_limited
    gen.writeNumberField("notsent_bytes", c.notsentBytes());   // tcpi_notsent_bytes
    gen.writeNumberField("total_rto", c.rtoCount());           // tcpi_total_rto (6.7+)
    gen.writeNumberField("fast_retrans", c.fastRetransCount());
    gen.writeNumberField("max_wmem_alloc", c.maxWmemAlloc());   // highest sk_wmem_alloc: bytes below TCP (TSQ bounds it)
    gen.writeNumberField("max_wmem_queued", c.maxWmemQueued()); // highest sk_wmem_queued (sk_sndbuf bounds it)
    gen.writeNumberField("tsq_throttles", c.tsqThrottles());    // times tcp_small_queue_check set TSQ_THROTTLED
    gen.writeNumberField("tsq_throttled_us", c.tsqThrottledUs()); // time TSQ_THROTTLED was set by it
    gen.writeNumberField("sndbuf_waits", c.sndbufWaits());      // sleeps in sk_stream_wait_memory()
    gen.writeNumberField("sndbuf_wait_us", c.sndbufWaitUs());   // time spent in those sleeps
    gen.writeNumberField("start_ns", c.startNs());
    gen.writeNumberField("finish_ns", c.finishNs());
    if (c.error() == null) gen.writeNullField("error");
    else gen.writeStringField("error", c.error());
    gen.writeEndObject();
  }
}
