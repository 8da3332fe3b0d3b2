package dev.yardmaster.router.server;

/**
 * Runs the server over the fake models until killed, for manual checks with real Triton clients:
 * {@code mvn -pl router exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.yardmaster.router.server.FakeServerMain -Dexec.args="8000 8001 8002"}.
 */
public final class FakeServerMain {

  private FakeServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int http = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    int grpc = args.length > 1 ? Integer.parseInt(args[1]) : 8001;
    int metrics = args.length > 2 ? Integer.parseInt(args[2]) : 8002;
    YardmasterServer server = YardmasterServer.builder(FakeModelManager.standard())
        .httpPort(http).grpcPort(grpc).metricsPort(metrics).build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    Thread.currentThread().join();
  }
}
