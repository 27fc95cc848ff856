package dev.resolute.server.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.1 exchange on a pooled connection. The request body is sent chunked (unless the
 * request was ended before anything was written: then it has no body). Request chunks wrap the
 * caller's arrays; inbound {@link HttpContent}s are copied and released by {@link Http1Connection}.
 */
final class Http1Exchange extends BaseExchange {
  private final String method;
  private final String pathAndQuery;
  private final String authority;
  private final List<Map.Entry<String, String>> headers;
  private Http1Connection connection;
  private boolean informational;
  private boolean gotHeaders;
  private boolean keepAlive = true;
  private boolean endWritten;
  private boolean responseDone;

  Http1Exchange(
      String method,
      String pathAndQuery,
      String authority,
      List<Map.Entry<String, String>> headers,
      ExchangeListener listener) {
    super(listener);
    this.method = method;
    this.pathAndQuery = pathAndQuery;
    this.authority = authority;
    this.headers = headers;
  }

  void bind(Http1Connection c) {
    this.connection = c;
  }

  @Override
  void writeHead(Channel ch, boolean endOfRequest) {
    HttpRequest req =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), pathAndQuery);
    req.headers().set(HttpHeaderNames.HOST, authority);
    for (Map.Entry<String, String> h : headers) {
      req.headers().add(h.getKey(), h.getValue());
    }
    if (endOfRequest) {
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        req.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      }
      ch.write(req);
      endWritten = true;
      failOnWriteError(ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    } else {
      req.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      failOnWriteError(ch.writeAndFlush(req));
    }
  }

  @Override
  void writeChunk(Channel ch, byte[] data) {
    if (!ch.isActive() || connection.current() != this) {
      return;
    }
    failOnWriteError(ch.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(data))));
  }

  @Override
  void writeEnd(Channel ch) {
    if (!ch.isActive() || connection.current() != this) {
      return;
    }
    endWritten = true;
    failOnWriteError(ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
    if (responseDone) {
      connection.exchangeDone(this, keepAlive);
    }
  }

  @Override
  void abort(Channel ch) {
    ch.close();
  }

  /** Inbound message for this exchange (event loop). Does not release {@code msg}. */
  void onInbound(Object msg) {
    if (msg instanceof HttpResponse r) {
      if (r.decoderResult().isFailure()) {
        deliverError(
            new TransportException(
                TransportException.Kind.PROTOCOL,
                "bad HTTP/1.1 response: " + r.decoderResult().cause(),
                r.decoderResult().cause()));
        connection.channel().close();
        return;
      }
      int status = r.status().code();
      if (status >= 100 && status < 200 && status != 101) {
        informational = true;
      } else {
        informational = false;
        gotHeaders = true;
        keepAlive = HttpUtil.isKeepAlive(r);
        List<Map.Entry<String, String>> hs = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
          hs.add(Map.entry(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        }
        deliverHeaders(status, hs);
      }
    }
    if (msg instanceof HttpContent c) {
      if (informational) {
        return;
      }
      if (c.content().isReadable()) {
        deliverData(ByteBufUtil.getBytes(c.content()));
      }
      if (c instanceof LastHttpContent && gotHeaders) {
        deliverEnd();
        responseDone = true;
        if (endWritten) {
          connection.exchangeDone(this, keepAlive);
        } else if (!requestEnded()) {
          connection.channel().close(); // cannot reuse: our request body is still open
        } // else: the pending writeEnd task hands the connection back
      }
    }
  }

  /** The connection closed or failed while this exchange was current. */
  void onConnectionLost(Throwable cause) {
    deliverError(
        cause != null
            ? cause
            : new TransportException(
                TransportException.Kind.CLOSED, "connection closed before the response ended"));
  }
}
