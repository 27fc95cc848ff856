package dev.resolute.bench.jmh;

import com.google.protobuf.ByteString;
import dev.resolute.protocol.Frame;
import dev.resolute.protocol.FrameCodec;
import dev.resolute.protocol.FrameDecoder;
import dev.resolute.protocol.MessageType;
import dev.resolute.protocol.pb.OutputCommandMessage;
import dev.resolute.protocol.pb.RunCommandMessage;
import dev.resolute.protocol.pb.Value;
import dev.resolute.server.pb.Envelope;
import dev.resolute.server.pb.InvokerEvent;
import dev.resolute.server.pb.JournalEntry;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The service-protocol codec on the invoker's hot path: encoding a frame, decoding the frames of
 * one response chunk, and the log record round trip of one command (InvokerEvent envelope, stamped
 * with a timestamp the way the Appender does, encoded, then parsed again by apply).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
  private OutputCommandMessage output;
  private byte[] chunk;
  private FrameDecoder decoder;
  private Envelope envelope;
  private byte[] envelopeBytes;

  @Setup
  public void setup() {
    output =
        OutputCommandMessage.newBuilder()
            .setValue(
                Value.newBuilder()
                    .setContent(ByteString.copyFromUtf8("\"Hello, a name of some length\"")))
            .build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        FrameCodec.encode(
            MessageType.RUN_COMMAND,
            RunCommandMessage.newBuilder().setResultCompletionId(1).setName("step").build()));
    out.writeBytes(FrameCodec.encode(MessageType.OUTPUT_COMMAND, output));
    chunk = out.toByteArray();
    decoder = new FrameDecoder(32 * 1024 * 1024);
    envelope =
        Envelope.newBuilder()
            .setInvokerEvent(
                InvokerEvent.newBuilder()
                    .setInvocationId(ByteString.copyFrom(new byte[26]))
                    .setAttempt(1)
                    .setDeploymentId("dp_13JgBL8WVN8RpUK7WR8PxxT")
                    .setProtocolVersion(6)
                    .setCommand(
                        JournalEntry.newBuilder()
                            .setType(MessageType.OUTPUT_COMMAND.code())
                            .setPayload(output.toByteString())))
            .build();
    envelopeBytes =
        envelope.toBuilder().setTimestampMillis(1_700_000_000_000L).build().toByteArray();
  }

  @Benchmark
  public byte[] encodeFrame() {
    return FrameCodec.encode(MessageType.OUTPUT_COMMAND, output);
  }

  @Benchmark
  public void decodeChunk(Blackhole bh) throws Exception {
    decoder.feed(
        chunk,
        0,
        chunk.length,
        f -> {
          try {
            bh.consume(f.message());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** What the Appender does today: copy the envelope into a builder to stamp it, then encode. */
  @Benchmark
  public byte[] stampAndEncodeEnvelope() {
    return envelope.toBuilder().setTimestampMillis(1_700_000_000_000L).build().toByteArray();
  }

  @Benchmark
  public Envelope parseEnvelope() throws Exception {
    return Envelope.parseFrom(envelopeBytes);
  }

  @Benchmark
  public Frame decodeOne() throws Exception {
    Frame[] last = new Frame[1];
    decoder.feed(chunk, 0, chunk.length, f -> last[0] = f);
    return last[0];
  }
}
