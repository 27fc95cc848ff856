package dev.resolute.server.tracing;

import com.sun.net.httpserver.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OTLP trace collector for tests, on a free loopback port: OTLP/HTTP ({@code POST /v1/traces},
 * protobuf) or OTLP/gRPC (h2c with prior knowledge, {@code
 * /opentelemetry.proto.collector.trace.v1.TraceService/Export}). Keeps every span it receives, with
 * the resource attributes of its batch and the request headers.
 */
final class OtlpReceiver implements AutoCloseable {
  /** A received span and the resource it came with. */
  record Received(Span span, Map<String, String> resource) {
    String name() {
      return span.getName();
    }

    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }

    String attr(String key) {
      for (KeyValue kv : span.getAttributesList()) {
        if (kv.getKey().equals(key)) {
          var v = kv.getValue();
          return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            default -> v.toString();
          };
        }
      }
      return null;
    }
  }

  final List<Received> spans = new CopyOnWriteArrayList<>();
  final Map<String, String> lastHeaders = new ConcurrentHashMap<>();
  private final int port;
  private final AutoCloseable server;

  private OtlpReceiver(int port, AutoCloseable server) {
    this.port = port;
    this.server = server;
  }

  int port() {
    return port;
  }

  /** OTLP/HTTP on {@code /v1/traces}. */
  static OtlpReceiver http() throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    OtlpReceiver r = new OtlpReceiver(s.getAddress().getPort(), () -> s.stop(0));
    s.createContext(
        "/v1/traces",
        ex -> {
          try (ex) {
            ex.getRequestHeaders().forEach((k, v) -> r.lastHeaders.put(k.toLowerCase(), v.get(0)));
            r.accept(ExportTraceServiceRequest.parseFrom(ex.getRequestBody().readAllBytes()));
            byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            ex.getResponseHeaders().add("content-type", "application/x-protobuf");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
              ex.getResponseBody().write(body);
            }
          }
        });
    s.start();
    return r;
  }

  /** OTLP/gRPC over h2c (prior knowledge), as the exporter speaks to {@code http://} endpoints. */
  static OtlpReceiver grpc() throws Exception {
    EventLoopGroup group = new NioEventLoopGroup(1);
    List<OtlpReceiver> self = new ArrayList<>(1);
    Channel ch =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel c) {
                    c.pipeline()
                        .addLast(Http2FrameCodecBuilder.forServer().build())
                        .addLast(
                            new Http2MultiplexHandler(
                                new ChannelInitializer<Http2StreamChannel>() {
                                  @Override
                                  protected void initChannel(Http2StreamChannel s) {
                                    s.pipeline().addLast(new GrpcExport(self.get(0)));
                                  }
                                }));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    OtlpReceiver r =
        new OtlpReceiver(
            ((InetSocketAddress) ch.localAddress()).getPort(),
            () -> {
              ch.close().sync();
              group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            });
    self.add(r);
    return r;
  }

  /** One gRPC Export call: reads the framed request, answers an empty response and status 0. */
  private static final class GrpcExport extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private final OtlpReceiver receiver;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    GrpcExport(OtlpReceiver receiver) {
      this.receiver = receiver;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame f) throws Exception {
      boolean end = false;
      if (f instanceof Http2HeadersFrame h) {
        h.headers()
            .forEach(e -> receiver.lastHeaders.put(e.getKey().toString(), e.getValue().toString()));
        end = h.isEndStream();
      } else if (f instanceof Http2DataFrame d) {
        ByteBuf b = d.content();
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        body.writeBytes(bytes);
        end = d.isEndStream();
      }
      if (!end) {
        return;
      }
      byte[] all = body.toByteArray();
      // gRPC framing: compressed flag (1 byte), length (4 bytes), message
      receiver.accept(
          ExportTraceServiceRequest.parseFrom(java.util.Arrays.copyOfRange(all, 5, all.length)));
      ctx.write(
          new DefaultHttp2HeadersFrame(
              new DefaultHttp2Headers().status("200").add("content-type", "application/grpc")));
      ctx.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(new byte[5])));
      ctx.writeAndFlush(
          new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true));
    }
  }

  private void accept(ExportTraceServiceRequest req) {
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<String, String> resource = new java.util.TreeMap<>();
      for (KeyValue kv : rs.getResource().getAttributesList()) {
        resource.put(kv.getKey(), kv.getValue().getStringValue());
      }
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          spans.add(new Received(s, resource));
        }
      }
    }
  }

  /** The spans received so far whose name starts with {@code prefix}. */
  List<Received> named(String prefix) {
    return spans.stream().filter(s -> s.name().startsWith(prefix)).toList();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
