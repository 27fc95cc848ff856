package dev.resolute.server;

import dev.resolute.server.admin.AdminApi;
import dev.resolute.server.config.BindAddress;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpServer;
import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.ingress.IngressApi;
import dev.resolute.server.invoker.Invoker;
import dev.resolute.server.invoker.InvokerOptions;
import dev.resolute.server.log.LocalLog;
import dev.resolute.server.log.LogOptions;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.ApplyExecutor;
import dev.resolute.server.partition.CoreDispatcher;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.Replies;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.storage.RocksStore;
import dev.resolute.server.transport.NettyDeploymentClient;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds and starts every component of a node from its configuration, in
 * dependency order (store, log, replay, leadership, then the ports), and closes them in reverse.
 */
public final class ResoluteServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResoluteServer.class);
  public static final String VERSION = "0.1.0";
  private static final int MAX_REQUEST_BODY = 32 * 1024 * 1024;
  private static final long COMPACTION_DELAY_SECONDS = 5;

  private final ServerConfig config;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private HttpServer ingress;
  private HttpServer admin;

  private ResoluteServer(ServerConfig config) {
    this.config = config;
  }

  public static ResoluteServer start(ServerConfig c) {
    ResoluteServer s = new ResoluteServer(c);
    try {
      s.doStart();
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void doStart() {
    long t0 = System.nanoTime();
    Path data = config.dataDir();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + data, e);
    }
    // The schema registry (JSON read with reflection), JSON in general and the secure random
    // source (ids) take a few hundred ms on a cold JVM; they are prepared on a second core while
    // the store and the log open. Awaited before anything else touches them, so no class is
    // initialised by both threads.
    java.util.concurrent.FutureTask<SchemaRegistry> schemasLoad =
        new java.util.concurrent.FutureTask<>(
            () -> {
              new SecureRandom().nextLong();
              return SchemaRegistry.open(data, config.schemaDefaults(), Clock.systemUTC());
            });
    Thread warmup = new Thread(schemasLoad, "startup-schemas");
    warmup.setDaemon(true);
    warmup.start();
    int n = config.defaultNumPartitions();
    Partitioning partitioning = new Partitioning(n);
    Clock clock = Clock.systemUTC();

    EventLoopGroup group =
        new NioEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
    closeables.add(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
    java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "timers");
              t.setDaemon(true);
              return t;
            });
    // One thread: its tasks only append to the log or end an attempt. The invoker cancels an
    // attempt's inactivity check (1 min) when the attempt ends: without remove-on-cancel, every
    // cancelled check stayed queued, holding its attempt (journal, state) for a minute.
    scheduler.setRemoveOnCancelPolicy(true);
    closeables.add(scheduler::shutdownNow);

    long tStore = System.nanoTime();
    RocksStore store = RocksStore.open(data.resolve("db"));
    closeables.add(store);
    long tLog = System.nanoTime();
    LogOptions logOptions = LogOptions.fromEnv(System.getenv());
    LocalLog log = LocalLog.open(data.resolve("log"), n, logOptions.segmentBytes());
    closeables.add(log);
    long tLogDone = System.nanoTime();
    Appender appender = new Appender(log, clock);

    SchemaRegistry schemas;
    try {
      schemas = schemasLoad.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the schema registry", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw new UncheckedIOException("cannot load the schema registry from " + data, io);
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("cannot load the schema registry from " + data, e.getCause());
    }
    // https deployments trust the platform's roots plus SSL_CERT_FILE, as restate-server does
    String sslCertFile = System.getenv("SSL_CERT_FILE");
    NettyDeploymentClient client =
        new NettyDeploymentClient(
            group,
            NettyDeploymentClient.Options.DEFAULTS,
            sslCertFile == null || sslCertFile.isBlank()
                ? null
                : java.nio.file.Path.of(sslCertFile));
    closeables.add(client);
    RequestSigner signer = null;
    if (config.worker().invoker().requestIdentityPrivateKeyPemFile() != null) {
      signer =
          RequestSigner.fromPemFile(
              config.worker().invoker().requestIdentityPrivateKeyPemFile(),
              java.time.Duration.ofSeconds(60),
              clock);
      LOG.info("Loaded request identity key, kid: \"{}\"", signer.keyId());
    }
    InvokerOptions invokerOptions =
        new InvokerOptions(
            config.worker().invoker().inactivityTimeout(),
            config.worker().invoker().abortTimeout(),
            config.defaultRetryPolicy().toRetryPolicy(),
            config.clusterName(),
            InvokerOptions.DEFAULTS.maxMessageSize(),
            signer);
    Invoker invoker = new Invoker(client, schemas, appender, scheduler, invokerOptions);
    Replies replies = new Replies();

    // Partitions are actors on one pool with a thread per core, not a thread per partition.
    int applyThreads = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
    java.util.concurrent.atomic.AtomicInteger applyThreadNo =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService applyPool =
        Executors.newFixedThreadPool(
            applyThreads,
            r -> {
              Thread t = new Thread(r, "partition-" + applyThreadNo.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
    closeables.add(
        () -> {
          applyPool.shutdown();
          applyPool.awaitTermination(5, TimeUnit.SECONDS);
        });
    // drains asked for by the log writer run on it when it has nothing else to write
    // (-Dresolute.apply.inline=false turns that off, for comparison)
    boolean inline = !"false".equals(System.getProperty("resolute.apply.inline"));
    ApplyExecutor applyExecutor =
        new ApplyExecutor(applyPool, inline ? log::isWriterThread : () -> false);
    log.onBatchEnd(applyExecutor::afterBatch);
    PartitionProcessor[] processors = new PartitionProcessor[n];
    long[] applied = new long[n];
    for (int p = 0; p < n; p++) {
      processors[p] =
          new PartitionProcessor(
              p, partitioning, store, appender, invoker, replies, scheduler, applyExecutor);
      applied[p] = PartitionProcessor.appliedLsn(store, p);
    }
    for (PartitionProcessor pp : processors) {
      closeables.add(pp::stop);
    }
    // runs right after the log is closed (closeables run in reverse), before the store is
    closeables.add(
        closeables.indexOf(log),
        () -> {
          for (PartitionProcessor pp : processors) {
            pp.markCaughtUp(log.lastLsn());
          }
        });
    checkNothingTrimmedUnapplied(log, applied);
    long tReplay = System.nanoTime();
    int[] replayed = new int[1];
    log.replay(
        applied,
        (p, lsn, payload) -> {
          replayed[0]++;
          processors[p].replay(lsn, payload);
        });
    for (int p = 0; p < n; p++) {
      log.subscribe(p, processors[p]::onCommitted);
    }
    long tLead = System.nanoTime();
    for (PartitionProcessor pp : processors) {
      pp.lead();
    }
    // compaction waits until the node is up (see RocksStore.resumeCompactions)
    scheduler.schedule(
        () -> {
          try {
            store.resumeCompactions();
          } catch (RuntimeException e) {
            LOG.warn("RocksDB compactions stay off", e);
          }
        },
        COMPACTION_DELAY_SECONDS,
        TimeUnit.SECONDS);
    if (!logOptions.trimInterval().isZero()) {
      LogTrimmer trimmer = new LogTrimmer(log, store, processors);
      java.util.concurrent.ScheduledExecutorService trimming =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "log-trimmer");
                t.setDaemon(true);
                return t;
              });
      long every = logOptions.trimInterval().toMillis();
      trimming.scheduleWithFixedDelay(trimmer::run, every, every, TimeUnit.MILLISECONDS);
      closeables.add(
          () -> {
            trimming.shutdownNow();
            trimming.awaitTermination(10, TimeUnit.SECONDS);
          });
    }
    LOG.info(
        "store opened in {} ms, log in {} ms, {} records replayed in {} ms, leaders started in {} ms",
        (tLog - tStore) / 1_000_000,
        (tLogDone - tLog) / 1_000_000,
        replayed[0],
        (tLead - tReplay) / 1_000_000,
        (System.nanoTime() - tLead) / 1_000_000);

    CoreDispatcher dispatcher = new CoreDispatcher(appender, partitioning, replies, schemas);
    DiscoveryClient discovery =
        new DiscoveryClient(client, config.clusterName(), java.time.Duration.ofSeconds(30), signer);
    ingress =
        HttpServer.start(
            "ingress",
            config.ingress().bindAddress().toInetSocketAddress(),
            group,
            MAX_REQUEST_BODY,
            new HealthGate(
                new IngressApi(schemas, dispatcher, clock, new SecureRandom()),
                HealthGate.Port.INGRESS,
                log::failure));
    closeables.add(ingress);
    admin =
        HttpServer.start(
            "admin",
            config.admin().bindAddress().toInetSocketAddress(),
            group,
            MAX_REQUEST_BODY,
            new HealthGate(
                new AdminApi(
                    schemas,
                    discovery,
                    dispatcher,
                    VERSION,
                    "http://"
                        + new BindAddress(
                            config.ingress().bindAddress().host(),
                            ingress.port()), // the bound port
                    config.clusterName()),
                HealthGate.Port.ADMIN,
                log::failure));
    closeables.add(admin);
    LOG.info(
        "Resolute node '{}' started in {} ms: {} partitions, data in {}",
        config.nodeName(),
        (System.nanoTime() - t0) / 1_000_000,
        n,
        data.toAbsolutePath());
  }

  /**
   * Trimming deletes only segments every partition has durably applied, so a partition whose
   * applied LSN lies below the log's first LSN means records were lost (or the store belongs to
   * another log): replaying would silently skip them, so the node refuses to start.
   */
  private static void checkNothingTrimmedUnapplied(LocalLog log, long[] applied) {
    long first = log.firstLsn();
    for (int p = 0; p < applied.length; p++) {
      if (applied[p] < first - 1) {
        throw new IllegalStateException(
            "partition "
                + p
                + " has applied the log up to lsn "
                + applied[p]
                + " but the log starts at lsn "
                + first
                + ": records it never applied are gone (was the log trimmed"
                + " or replaced without its store?); refusing to start");
      }
    }
  }

  public ServerConfig config() {
    return config;
  }

  public int ingressPort() {
    return ingress.port();
  }

  public int adminPort() {
    return admin.port();
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        LOG.warn("error while stopping", e);
      }
    }
    closeables.clear();
  }
}
