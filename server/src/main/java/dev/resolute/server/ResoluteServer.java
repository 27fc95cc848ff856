package dev.resolute.server;

import dev.resolute.server.admin.AdminApi;
import dev.resolute.server.api.ErrorCode;
import dev.resolute.server.cluster.ClusterNode;
import dev.resolute.server.cluster.snapshot.SnapshotRepository;
import dev.resolute.server.cluster.snapshot.SnapshotRestore;
import dev.resolute.server.cluster.snapshot.Snapshots;
import dev.resolute.server.cluster.snapshot.Snapshotter;
import dev.resolute.server.config.BindAddress;
import dev.resolute.server.config.ConfigException;
import dev.resolute.server.config.KafkaClusterConfig;
import dev.resolute.server.config.ServerConfig;
import dev.resolute.server.discovery.DiscoveryClient;
import dev.resolute.server.http.HttpHandler;
import dev.resolute.server.http.HttpServer;
import dev.resolute.server.identity.RequestSigner;
import dev.resolute.server.ingress.IngressApi;
import dev.resolute.server.invoker.Invoker;
import dev.resolute.server.invoker.InvokerOptions;
import dev.resolute.server.kafka.KafkaCluster;
import dev.resolute.server.kafka.KafkaIngress;
import dev.resolute.server.kafka.KafkaMetadata;
import dev.resolute.server.log.LocalLog;
import dev.resolute.server.log.LogOptions;
import dev.resolute.server.metrics.Metrics;
import dev.resolute.server.metrics.NodeEndpoint;
import dev.resolute.server.metrics.StoreProperties;
import dev.resolute.server.partition.Appender;
import dev.resolute.server.partition.ApplyExecutor;
import dev.resolute.server.partition.CoreDispatcher;
import dev.resolute.server.partition.PartitionProcessor;
import dev.resolute.server.partition.Partitioning;
import dev.resolute.server.partition.Replies;
import dev.resolute.server.partition.ScheduleDispatcher;
import dev.resolute.server.schema.MetadataLog;
import dev.resolute.server.schema.SchemaRegistry;
import dev.resolute.server.sql.QueryEndpoint;
import dev.resolute.server.sql.QueryEngine;
import dev.resolute.server.storage.RocksStore;
import dev.resolute.server.transport.LocalDeployments;
import dev.resolute.server.transport.NettyDeploymentClient;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
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

  /** How long one SQL query ({@code POST /query}) may run before it is cancelled. */
  static final java.time.Duration QUERY_TIME_LIMIT = java.time.Duration.ofSeconds(60);

  /** How long a query in cluster mode waits for this node to catch up with the log. */
  static final java.time.Duration READ_BARRIER_TIMEOUT = java.time.Duration.ofSeconds(5);

  private static final int MAX_REQUEST_BODY = 32 * 1024 * 1024;
  private static final long COMPACTION_DELAY_SECONDS = 5;
  private static final int NODE_MAX_REQUEST_BODY = 64 * 1024;

  /**
   * How often the trimmer thread asks whether a store checkpoint is due (a volatile read). Was 100
   * ms: ten wake-ups a second of an idle node; at 250 ms a checkpoint is late by a quarter of a
   * second's records at most.
   */
  private static final long CHECKPOINT_CHECK_MILLIS = 250;

  private final ServerConfig config;
  private final Embedding embedding;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private HttpServer ingress;
  private HttpServer admin;
  private HttpServer node;
  private HttpHandler ingressApi;
  private PendingHandler ingressPort;
  private final dev.resolute.server.limits.DeclaredRates declaredRates =
      new dev.resolute.server.limits.DeclaredRates();
  private dev.resolute.server.admin.ManifestDeclarations declarations;
  private DiscoveryClient discovery;
  private SchemaRegistry schemas;
  private ClusterNode cluster;

  /**
   * What an application that embeds the node (module {@code embedded}) changes: deployments served
   * in its own JVM, and which of the three ports are bound at all (an unbound port's address in the
   * configuration is ignored).
   *
   * @param local in-process deployments (URIs of scheme {@code inprocess}), or null for none
   */
  public record Embedding(LocalDeployments local, boolean ingress, boolean admin, boolean node) {
    /** A standalone node: no in-process deployments, every port bound. */
    public static final Embedding NONE = new Embedding(null, true, true, true);
  }

  private ResoluteServer(ServerConfig config, Embedding embedding) {
    this.config = config;
    this.embedding = embedding;
  }

  public static ResoluteServer start(ServerConfig c) {
    return start(c, Embedding.NONE, config -> {}, StartupTimeline.startingNow());
  }

  /** A node embedded in an application: see {@link Embedding}. */
  public static ResoluteServer start(ServerConfig c, Embedding embedding) {
    return start(c, embedding, config -> {}, StartupTimeline.startingNow());
  }

  static ResoluteServer start(
      ServerConfig c, java.util.function.Consumer<ServerConfig> prepareData) {
    return start(c, Embedding.NONE, prepareData, StartupTimeline.startingNow());
  }

  /**
   * As {@link #start(ServerConfig, java.util.function.Consumer)}, marking steps on {@code
   * timeline}.
   */
  static ResoluteServer start(
      ServerConfig c,
      java.util.function.Consumer<ServerConfig> prepareData,
      StartupTimeline timeline) {
    return start(c, Embedding.NONE, prepareData, timeline);
  }

  /**
   * @param prepareData runs once both ports are bound and before anything is written to the data
   *     directory (the launcher checks or writes its node marker there)
   */
  private static ResoluteServer start(
      ServerConfig c,
      Embedding embedding,
      java.util.function.Consumer<ServerConfig> prepareData,
      StartupTimeline timeline) {
    ResoluteServer s = new ResoluteServer(c, embedding);
    try {
      s.doStart(prepareData, timeline);
      return s;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void doStart(
      java.util.function.Consumer<ServerConfig> prepareData, StartupTimeline timeline) {
    long t0 = System.nanoTime();
    // RocksDB's native library loads on the second core while the ports are bound
    Thread rocksLibrary = new Thread(RocksStore::loadLibrary, "startup-rocksdb");
    rocksLibrary.setDaemon(true);
    rocksLibrary.start();
    EventLoopGroup group =
        dev.resolute.server.http.NettyTransport.newGroup(
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            new io.netty.util.concurrent.DefaultThreadFactory("event-loop", false));
    closeables.add(() -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly());
    List<KafkaCluster> configuredKafka = configuredKafkaClusters(config);
    // The ports are bound before anything is written: a port in use (RT0004) must not leave a
    // created data directory, store or log behind. Requests get 503 until the node has started.
    PendingHandler ingressHandler = new PendingHandler(HealthGate.Port.INGRESS);
    ingressPort = ingressHandler;
    PendingHandler adminHandler = new PendingHandler(HealthGate.Port.ADMIN);
    PendingHandler nodeHandler = new PendingHandler(HealthGate.Port.ADMIN);
    if (embedding.ingress()) {
      ingress =
          bind(
              "ingress",
              config.ingress().bindAddress(),
              group,
              (int) config.ingress().requestSizeLimit(),
              ingressHandler);
      closeables.add(ingress);
    }
    if (embedding.admin()) {
      admin = bind("admin", config.admin().bindAddress(), group, MAX_REQUEST_BODY, adminHandler);
      closeables.add(admin);
    }
    if (embedding.node()) {
      node = bind("node", config.node().bindAddress(), group, NODE_MAX_REQUEST_BODY, nodeHandler);
      closeables.add(node);
    }
    timeline.step("ports");
    prepareData.accept(config);
    Path data = config.dataDir();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + data, e);
    }
    // The replicated metadata (the schema registry and the Kafka subscriptions: their caches read
    // as JSON, the metadata log replayed after them), JSON in general and the secure random source
    // (ids) take a few hundred ms on a cold JVM; they are prepared on a second core while the store
    // and the log open. Awaited before anything else touches them, so no class is initialised by
    // both threads.
    java.util.concurrent.FutureTask<Metadata> schemasLoad =
        new java.util.concurrent.FutureTask<>(
            () -> {
              new SecureRandom().nextLong();
              return Metadata.open(data, config, configuredKafka);
            });
    Thread warmup = new Thread(schemasLoad, "startup-schemas");
    warmup.setDaemon(true);
    warmup.start();
    int n = config.defaultNumPartitions();
    Partitioning partitioning = new Partitioning(n);
    Clock clock = Clock.systemUTC();

    java.util.concurrent.atomic.AtomicReference<Thread> timersThread =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
        new java.util.concurrent.ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "timers");
              t.setDaemon(true);
              timersThread.set(t);
              return t;
            });
    // One thread: its tasks only append to the log or end an attempt. The invoker cancels an
    // attempt's inactivity check (1 min) when the attempt ends: without remove-on-cancel, every
    // cancelled check stayed queued, holding its attempt (journal, state) for a minute.
    scheduler.setRemoveOnCancelPolicy(true);
    closeables.add(scheduler::shutdownNow);

    timeline.step("prepare");
    dev.resolute.server.config.ClusterConfig clusterConfig = config.cluster();
    // cluster mode: the log is a Kafka topic, opened before the store because a node whose store
    // is empty or behind the log's trim point restores a snapshot into it first
    dev.resolute.server.log.KafkaLog kafkaLog =
        clusterConfig.enabled() ? ClusterNode.openLog(clusterConfig, config.nodeName(), n) : null;
    dev.resolute.server.config.SnapshotsConfig snapshotsConfig = config.worker().snapshots();
    Snapshots snapshots = null;
    if (kafkaLog != null && snapshotsConfig.enabled()) {
      snapshots = new Snapshots(SnapshotRepository.open(snapshotsConfig));
      closeables.add(snapshots);
      try {
        SnapshotRestore.ifNeeded(
            data.resolve("db"),
            snapshots,
            clusterConfig.topic(),
            n,
            kafkaLog.startLsns(),
            dir -> appliedLsns(dir, n));
      } catch (IOException | RuntimeException e) {
        kafkaLog.close(); // not among the closeables yet (it closes after the store is)
        if (e instanceof RuntimeException re) {
          throw re;
        }
        throw new UncheckedIOException(
            "cannot restore a snapshot from " + snapshotsConfig.destination(), (IOException) e);
      }
      timeline.step("restore");
    }
    long tStore = System.nanoTime();
    RocksStore store;
    try {
      store = openStore(data.resolve("db"));
    } catch (RuntimeException e) {
      if (kafkaLog != null) {
        kafkaLog.close(); // not among the closeables yet (it closes after the store is)
      }
      throw e;
    }
    closeables.add(store);
    long tStoreDone = System.nanoTime();
    timeline.step("store");
    Metrics metrics =
        Metrics.create(
            config.clusterName(), config.nodeName(), n, !config.node().disablePrometheus());
    // closed after everything that records spans (closeables close in reverse order)
    dev.resolute.server.tracing.Tracing tracing =
        dev.resolute.server.tracing.Tracing.create(
            config.tracing(), config.clusterName(), config.nodeName());
    closeables.add(tracing);
    StoreProperties storeReads = new StoreProperties(store::longProperty);
    closeables.add(storeReads); // closed (waiting for a scrape in progress) before the store
    timeline.step("metrics");
    long tLog = System.nanoTime();
    LogOptions logOptions =
        new LogOptions(
            config.resolute().logSegmentBytes(),
            config.resolute().logTrimInterval(),
            config.resolute().storeFlushRecords(),
            config.resolute().storeFlushInterval());
    // a single node: every partition's log is local
    LocalLog localLog =
        clusterConfig.enabled()
            ? null
            : LocalLog.open(data.resolve("log"), n, logOptions.segmentBytes());
    dev.resolute.server.log.Log log = localLog != null ? localLog : kafkaLog;
    java.util.function.Supplier<? extends Throwable> logFailure =
        localLog != null ? localLog::failure : ClusterNode.failure(kafkaLog);
    closeables.add(log);
    if (localLog != null) {
      localLog.metrics(metrics.log);
    }
    long tLogDone = System.nanoTime();
    timeline.step("log");
    Appender appender = new Appender(log, clock, clusterConfig.nodeId());
    // what clients ask for is never fenced (see Appender.forClients); a single node keeps
    // stamping them as before
    Appender clientAppender = clusterConfig.enabled() ? appender.forClients() : appender;

    Metadata metadata;
    try {
      metadata = schemasLoad.get();
      closeables.add(metadata.log());
      schemas = metadata.schemas();
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
    timeline.step("metadata");
    // https deployments trust the platform's roots plus SSL_CERT_FILE, as restate-server does
    String sslCertFile = System.getenv("SSL_CERT_FILE");
    NettyDeploymentClient client =
        new NettyDeploymentClient(
            group,
            NettyDeploymentClient.Options.DEFAULTS.with(
                config.worker().invoker().connectTimeout(),
                config.worker().invoker().additionalRequestHeaders()),
            sslCertFile == null || sslCertFile.isBlank()
                ? null
                : java.nio.file.Path.of(sslCertFile));
    closeables.add(client);
    // in-process deployments beside remote ones: the invoker routes by URI scheme
    dev.resolute.server.transport.DeploymentClient invokerClient =
        embedding.local() == null
            ? client
            : new dev.resolute.server.transport.RoutingDeploymentClient(client, embedding.local());
    RequestSigner signer = null;
    if (config.worker().invoker().requestIdentityPrivateKeyPemFile() != null) {
      signer =
          RequestSigner.fromPemFile(
              config.worker().invoker().requestIdentityPrivateKeyPemFile(),
              config.worker().invoker().requestIdentityExpiration(),
              clock);
      LOG.info("Loaded request identity key, kid: \"{}\"", signer.keyId());
    }
    InvokerOptions invokerOptions =
        new InvokerOptions(
            config.worker().invoker().inactivityTimeout(),
            config.worker().invoker().abortTimeout(),
            config.defaultRetryPolicy().toRetryPolicy(),
            config.clusterName(),
            (int) config.worker().invoker().messageSizeLimit(),
            config.worker().invoker().messageSizeWarning(),
            config.worker().invoker().concurrentInvocationsLimit(),
            signer);
    Invoker invoker = new Invoker(invokerClient, schemas, appender, scheduler, invokerOptions);
    // the calling thread's event loop (of this node's group), or null on any other thread
    java.util.function.Supplier<java.util.concurrent.ScheduledExecutorService> currentLoop =
        () -> {
          io.netty.util.concurrent.EventExecutor e =
              io.netty.util.internal.ThreadExecutorMap.currentExecutor();
          return e != null && e.parent() == group ? e : null;
        };
    if (!"false".equals(System.getProperty("resolute.timers.local"))) {
      invoker.localTimers(currentLoop);
    }
    invoker.metrics(metrics.invoker);
    invoker.tracing(tracing);
    Replies replies =
        clusterConfig.enabled()
            ? Replies.forNode(clusterConfig.nodeId(), System.currentTimeMillis() * 1000)
            : new Replies();

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
        new ApplyExecutor(
            applyPool, inline && localLog != null ? localLog::isWriterThread : () -> false);
    if (localLog != null) {
      localLog.onBatchEnd(applyExecutor::afterBatch);
      // at low load an event loop (or the timers thread, a fired timer) that appends writes the
      // batch itself and applies it there: no wake-up of the writer thread, and the effects' tasks
      // for that loop need none either (-Dresolute.log.lead=false turns that off, for comparison)
      if (inline && !"false".equals(System.getProperty("resolute.log.lead"))) {
        localLog.leadOn(
            () -> Thread.currentThread() == timersThread.get() ? scheduler : currentLoop.get());
      }
    }
    PartitionProcessor[] processors = new PartitionProcessor[n];
    for (int p = 0; p < n; p++) {
      processors[p] =
          new PartitionProcessor(
              p, partitioning, store, appender, invoker, replies, scheduler, applyExecutor);
    }
    long[] applied = PartitionProcessor.appliedLsns(store, n);
    for (PartitionProcessor pp : processors) {
      closeables.add(pp::stop);
    }
    // cluster mode with cold followers: a partition is applied only while this node claims it or a
    // read holds it, and catches up from the log (and a snapshot) when it is taken
    if (kafkaLog != null && !clusterConfig.warmFollowers()) {
      java.util.concurrent.ExecutorService catchUps =
          Executors.newCachedThreadPool(
              new io.netty.util.concurrent.DefaultThreadFactory("cold-catch-up", true));
      closeables.add(catchUps::shutdownNow);
      dev.resolute.server.cluster.ColdFollowers source =
          new dev.resolute.server.cluster.ColdFollowers(
              kafkaLog, snapshots, clusterConfig.topic(), n, data.resolve("snapshot-work"));
      for (PartitionProcessor pp : processors) {
        pp.coldFollower(source, catchUps);
      }
      java.util.concurrent.ExecutorService completions =
          Executors.newCachedThreadPool(
              new io.netty.util.concurrent.DefaultThreadFactory("cold-replies", true));
      closeables.add(completions::shutdownNow);
      replies.completeOn(completions);
    }
    if (localLog != null) {
      // runs right after the log is closed (closeables run in reverse), before the store is
      closeables.add(
          closeables.indexOf(log),
          () -> {
            for (PartitionProcessor pp : processors) {
              pp.markCaughtUp(localLog.lastLsn());
            }
          });
      checkNothingTrimmedUnapplied(localLog, applied);
    }
    timeline.step("wiring");
    long tReplay = System.nanoTime();
    int[] replayed = new int[1];
    long[] firstReplayed = {tReplay};
    // cold followers replay nothing at start: every partition starts cold at its stored applied
    // LSN (its keys stale but whole) and catches up when it is taken (PartitionProcessor.hold)
    boolean coldStart = kafkaLog != null && !clusterConfig.warmFollowers();
    long[] replayFrom = applied;
    if (coldStart) {
      long[] ends = kafkaLog.endLsns(java.time.Duration.ofSeconds(30));
      replayFrom = new long[n];
      for (int p = 0; p < n; p++) {
        replayFrom[p] = Math.max(applied[p], ends[p]);
      }
    }
    log.replay(
        replayFrom,
        (p, lsn, payload) -> {
          if (coldStart) {
            return; // committed after the ends were read: dropped, as a cold partition drops it
          }
          processors[p].replay(lsn, payload);
          if (++replayed[0] == 1) {
            firstReplayed[0] = System.nanoTime();
          }
        });
    for (int p = 0; p < n; p++) {
      log.subscribe(p, processors[p].committedRecords());
    }
    long tLead = System.nanoTime();
    timeline.step("replay");
    for (PartitionProcessor pp : processors) {
      pp.metrics(metrics.invocations); // from here on: replayed records are not counted
      pp.tracing(tracing);
      if (clusterConfig.enabled()) {
        pp.follow(); // leads what the membership assigns (started below, once serving)
      } else {
        pp.lead();
      }
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
    // an idle node gives back the heap a load made it commit (see IdleHeapTrimmer)
    scheduler.scheduleWithFixedDelay(
        IdleHeapTrimmer.forThisJvm(),
        IdleHeapTrimmer.INTERVAL_SECONDS,
        IdleHeapTrimmer.INTERVAL_SECONDS,
        TimeUnit.SECONDS);
    // trimming and store checkpoints share one thread, so their flushes never overlap and the
    // trimmer's bookkeeping is touched by that thread only (see LogTrimmer)
    boolean trims = localLog != null && !logOptions.trimInterval().isZero();
    boolean checkpoints = localLog != null && logOptions.checkpointRecords() > 0;
    if (clusterConfig.enabled()) {
      closeables.add(ClusterNode.checkpoints(store, logOptions.checkpointInterval()));
    }
    if (snapshots != null) {
      if (snapshotsConfig.automatic()) {
        Snapshotter snapshotter =
            ClusterNode.snapshotter(
                snapshots,
                snapshotsConfig,
                clusterConfig,
                store,
                processors,
                kafkaLog,
                data.resolve("snapshot-work"),
                clock);
        snapshotter.start();
        closeables.add(snapshotter);
      } else {
        LOG.info(
            "snapshot repository {}: restores only (no snapshot-interval or"
                + " snapshot-interval-num-records, so this node takes no snapshots)",
            snapshots.repository());
      }
    }
    if (trims || checkpoints) {
      LogTrimmer trimmer =
          new LogTrimmer(
              localLog,
              store,
              processors,
              logOptions.checkpointRecords(),
              logOptions.checkpointInterval());
      java.util.concurrent.ScheduledExecutorService trimming =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "log-trimmer");
                t.setDaemon(true);
                return t;
              });
      if (trims) {
        long every = logOptions.trimInterval().toMillis();
        trimming.scheduleWithFixedDelay(trimmer::run, every, every, TimeUnit.MILLISECONDS);
      }
      if (checkpoints) {
        trimming.scheduleWithFixedDelay(
            trimmer::checkpoint,
            CHECKPOINT_CHECK_MILLIS,
            CHECKPOINT_CHECK_MILLIS,
            TimeUnit.MILLISECONDS);
      }
      closeables.add(
          () -> {
            trimming.shutdownNow();
            trimming.awaitTermination(10, TimeUnit.SECONDS);
          });
    }
    LOG.info(
        "store opened in {} ms, log in {} ms, {} records replayed in {} ms (the first after {} ms),"
            + " leaders started in {} ms",
        (tStoreDone - tStore) / 1_000_000,
        (tLogDone - tLog) / 1_000_000,
        replayed[0],
        (tLead - tReplay) / 1_000_000,
        (firstReplayed[0] - tReplay) / 1_000_000,
        (System.nanoTime() - tLead) / 1_000_000);
    timeline.step("leaders");

    CoreDispatcher dispatcher = new CoreDispatcher(clientAppender, partitioning, replies, schemas);
    KafkaMetadata kafka = metadata.kafka();
    dispatcher.metrics(metrics.ingress);
    LocalDeployments local = embedding.local();
    discovery =
        new DiscoveryClient(
            local == null
                ? client::request
                : (uri, method, headers, body, http11, timeout, max) ->
                    LocalDeployments.isLocal(uri)
                        ? local.request(uri, method, headers, body, timeout, max)
                        : client.request(uri, method, headers, body, http11, timeout, max),
            config.clusterName(),
            java.time.Duration.ofSeconds(30),
            signer);
    // SQL queries run on their own two threads: a long scan never holds an event loop or the
    // apply pool
    java.util.concurrent.ExecutorService queries =
        java.util.concurrent.Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sql-query");
              t.setDaemon(true);
              return t;
            });
    closeables.add(queries::shutdownNow);
    // cluster mode: a query first waits until this node applied what the log held when it came
    // (a request answered through another node is seen here too)
    Runnable beforeQuery = () -> {};
    if (kafkaLog != null) {
      dev.resolute.server.log.KafkaLog endsOf = kafkaLog;
      dev.resolute.server.cluster.ReadBarrier barrier =
          new dev.resolute.server.cluster.ReadBarrier(
              () -> endsOf.readTargets(READ_BARRIER_TIMEOUT),
              p -> PartitionProcessor.appliedLsn(store, p),
              READ_BARRIER_TIMEOUT);
      boolean cold = !clusterConfig.warmFollowers();
      beforeQuery =
          () -> {
            // a cold follower catches every partition up first (see ColdFollowers.holdAll)
            if (!(cold
                ? dev.resolute.server.cluster.ColdFollowers.holdAll(
                    processors, barrier, READ_BARRIER_TIMEOUT.multipliedBy(6))
                : barrier.await())) {
              LOG.warn("a query runs on what this node applied: it did not catch up with the log");
            }
          };
    }
    QueryEndpoint query =
        new QueryEndpoint(
            new QueryEngine(store::reader, partitioning, schemas, VERSION, QUERY_TIME_LIMIT),
            queries,
            beforeQuery);
    // the ports close first on shutdown, before what their handlers use
    for (HttpServer port : new HttpServer[] {ingress, admin, node}) {
      if (port != null) {
        closeables.remove(port);
        closeables.add(port);
      }
    }
    // Resolute's manifest extensions: declared schedules and rates (admin.ManifestDeclarations)
    dev.resolute.server.partition.RuleLog ruleLog =
        new dev.resolute.server.partition.RuleLog(clientAppender, partitioning, replies);
    // reads of partition state outside SQL: on a cold follower, every partition caught up first
    java.util.function.Supplier<dev.resolute.server.storage.Store.Reader> currentReader =
        store::reader;
    if (kafkaLog != null && !clusterConfig.warmFollowers()) {
      Runnable catchUp = beforeQuery;
      currentReader =
          () -> {
            catchUp.run();
            return store.reader();
          };
    }
    java.util.function.Supplier<dev.resolute.server.storage.Store.Reader> readers = currentReader;
    java.util.function.Supplier<dev.resolute.server.limits.RuleBook> ruleBook =
        () -> {
          try (var reader = readers.get()) {
            return new dev.resolute.server.limits.LimitTables(0, reader).book();
          }
        };
    ScheduleDispatcher scheduleDispatcher =
        new ScheduleDispatcher(clientAppender, partitioning, replies, schemas, readers);
    declarations =
        new dev.resolute.server.admin.ManifestDeclarations(
            scheduleDispatcher, ruleLog, ruleBook, declaredRates);
    declarations.refresh();
    ingressApi =
        new HealthGate(
            new IngressApi(schemas, dispatcher, clock, new SecureRandom())
                .declaredRates(declaredRates)
                .metrics(metrics.ingress)
                .tracing(tracing),
            HealthGate.Port.INGRESS,
            logFailure);
    ingressHandler.ready(ingressApi);
    AdminApi adminApi =
        new AdminApi(
                schemas,
                discovery,
                dispatcher,
                VERSION,
                "http://"
                    + new BindAddress(
                        config.ingress().bindAddress().host(),
                        ingress == null
                            ? config.ingress().bindAddress().port()
                            : ingress.port()), // the bound port
                config.clusterName())
            .withKafka(kafka, java.util.concurrent.ForkJoinPool.commonPool())
            .withSchedules(scheduleDispatcher)
            .withDeploymentHook(declarations)
            .withQuery(query::handle)
            .withLimits(ruleLog, ruleBook)
            .withWebUi(!config.admin().disableWebUi());
    if (clusterConfig.enabled()) {
      cluster = ClusterNode.create(clusterConfig, config.nodeName(), processors, kafkaLog);
      adminApi.withCluster(
          cluster::memberIds, cluster::view, java.util.concurrent.ForkJoinPool.commonPool());
    }
    adminHandler.ready(new HealthGate(adminApi, HealthGate.Port.ADMIN, logFailure));
    KafkaIngress kafkaIngress =
        new KafkaIngress(
                kafka, schemas, clientAppender, partitioning, new SecureRandom(), config.nodeName())
            .declaredRates(declaredRates);
    closeables.add(kafkaIngress);
    kafkaIngress.start();
    registerGauges(metrics, n, invoker, processors, storeReads);
    nodeHandler.ready(new NodeEndpoint(metrics, config.clusterName(), logFailure));
    if (cluster != null) {
      // last: the node takes partitions once it serves (closed first, so it hands them over)
      cluster.join();
      closeables.add(cluster);
    }
    timeline.step("apis");
    LOG.info("{}", timeline);
    LOG.info(
        "Resolute node '{}' started in {} ms: {} partitions, data in {}",
        config.nodeName(),
        (System.nanoTime() - t0) / 1_000_000,
        n,
        data.toAbsolutePath());
  }

  /** The gauges read at scrape time. */
  private static void registerGauges(
      Metrics metrics,
      int n,
      Invoker invoker,
      PartitionProcessor[] processors,
      StoreProperties storeReads) {
    metrics.gauge(
        "restate_num_partitions", "Total number of partitions in the partition table", () -> n);
    metrics.gauge(
        "resolute_invoker_inflight_attempts",
        "Invocation attempts running against deployments",
        invoker::liveAttempts);
    metrics.partitionGauge(
        "resolute_partition_applied_lsn_lag",
        "Records committed to the partition's log and not applied yet",
        p -> processors[p].pendingRecords());
    metrics.partitionGauge(
        "resolute_partition_timers_armed",
        "Timers armed in memory and not fired yet",
        p -> processors[p].armedTimers());
    metrics.partitionGauge(
        "resolute_partition_outbox_depth",
        "Outbox messages not truncated yet (shipped or waiting to be)",
        p -> storeReads.read(processors[p]::outboxDepth));
    metrics.rocksDb(storeReads);
    metrics.jvm();
  }

  private static HttpServer bind(
      String name,
      BindAddress address,
      EventLoopGroup group,
      int maxRequestBody,
      HttpHandler handler) {
    try {
      return HttpServer.start(name, address.toInetSocketAddress(), group, maxRequestBody, handler);
    } catch (UncheckedIOException e) {
      Throwable cause = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
      throw new StartupException(
          ErrorCode.RT0004,
          "failed binding " + name + " to address '" + address + "': " + cause.getMessage(),
          e);
    }
  }

  /** {@code [[ingress.kafka-clusters]]}, checked before anything is bound or written. */
  private static List<KafkaCluster> configuredKafkaClusters(ServerConfig config) {
    List<KafkaCluster> out = new java.util.ArrayList<>();
    for (KafkaClusterConfig k : config.ingress().kafkaClusters()) {
      try {
        out.add(KafkaCluster.fromConfig(k.name(), k.properties()));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(
            "Kafka cluster '"
                + k.name()
                + "' in key \"ingress.kafka-clusters\": "
                + e.getMessage());
      }
    }
    return out;
  }

  /**
   * The applied LSNs of the store in {@code dir}, before a restore decision. Opened as the node
   * opens it, so a store another process holds is RT0005 here too, never replaced under it.
   */
  private static long[] appliedLsns(Path dir, int partitions) {
    try (RocksStore ro = openStore(dir)) {
      return PartitionProcessor.appliedLsns(ro, partitions);
    }
  }

  /** Opens the store; another process holding its lock is RT0005, reported in one line. */
  private static RocksStore openStore(Path dir) {
    try {
      return RocksStore.open(dir);
    } catch (IllegalStateException e) {
      String prefix = ErrorCode.RT0005.code() + ": ";
      if (e.getMessage() != null && e.getMessage().startsWith(prefix)) {
        throw new StartupException(ErrorCode.RT0005, e.getMessage().substring(prefix.length()), e);
      }
      throw e;
    }
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

  /** The replicated metadata of the node, on one metadata log (see {@link MetadataLog}). */
  private record Metadata(MetadataLog log, SchemaRegistry schemas, KafkaMetadata kafka) {
    /**
     * A single node's metadata log is in the data directory; a cluster node's is the cluster's
     * one-partition metadata topic ({@link ClusterNode#openMetadataLog}). The caches are beside the
     * node's data either way.
     */
    static Metadata open(Path data, ServerConfig config, List<KafkaCluster> configuredKafka) {
      MetadataLog log =
          config.cluster().enabled()
              ? MetadataLog.on(
                  ClusterNode.openMetadataLog(config.cluster(), config.nodeName()),
                  null,
                  config.nodeName())
              : MetadataLog.local(data, config.nodeName());
      try {
        SchemaRegistry schemas =
            SchemaRegistry.replicated(log, data, config.schemaDefaults(), Clock.systemUTC());
        KafkaMetadata kafka =
            new KafkaMetadata(
                log,
                data.resolve("kafka.json"),
                configuredKafka,
                schemas,
                Clock.systemUTC(),
                new SecureRandom());
        log.start();
        return new Metadata(log, schemas, kafka);
      } catch (RuntimeException e) {
        log.close();
        throw e;
      }
    }
  }

  public ServerConfig config() {
    return config;
  }

  /** The bound ingress port, or -1 when the ingress is not bound ({@link Embedding}). */
  public int ingressPort() {
    return ingress == null ? -1 : ingress.port();
  }

  /** The bound admin port, or -1 when the admin API is not bound ({@link Embedding}). */
  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  /** The node port: {@code /metrics}, {@code /health}; -1 when not bound ({@link Embedding}). */
  public int nodePort() {
    return node == null ? -1 : node.port();
  }

  /**
   * From now on the ingress port's requests go through {@code wrap} applied to the ingress API (the
   * launcher counts them, see {@link ClassDataArchive}); {@link #ingress} is not wrapped.
   */
  void wrapIngressPort(java.util.function.UnaryOperator<HttpHandler> wrap) {
    if (ingressPort != null) {
      ingressPort.ready(wrap.apply(ingressApi));
    }
  }

  /**
   * Handles one ingress request without a socket (what the ingress port does with a request it
   * read), for an application that embeds the node; works whether or not the port is bound.
   */
  public java.util.concurrent.CompletableFuture<dev.resolute.server.http.HttpResponse> ingress(
      dev.resolute.server.http.HttpRequest request) {
    return ingressApi.handle(request);
  }

  /**
   * Registers the deployment at {@code uri} as {@code POST /deployments {"uri", "force": true}}
   * does (discovery, then the schema registry, which persists it): for an application that embeds
   * the node and registers its in-process deployment at every start, admin port or not.
   *
   * @return the deployment id
   */
  public java.util.concurrent.CompletableFuture<String> registerDeployment(URI uri) {
    return discovery
        .discover(uri, java.util.Map.of(), false)
        .thenApplyAsync(
            ep -> {
              try {
                declarations.check(ep);
                SchemaRegistry.RegistrationResult r =
                    schemas.register(
                        ep, java.util.Map.of(), java.util.Map.of(), true, false, false);
                LOG.info(
                    "registered deployment {} at {} ({} services)",
                    r.deployment().id(),
                    r.deployment().uri(),
                    r.services().size());
                return java.util.Map.entry(ep, r.deployment().id());
              } catch (dev.resolute.server.schema.SchemaException e) {
                throw new java.util.concurrent.CompletionException(e);
              }
            })
        .thenCompose(e -> declarations.registered(e.getKey()).thenApply(x -> e.getValue()));
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
