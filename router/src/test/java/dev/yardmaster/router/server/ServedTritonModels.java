package dev.yardmaster.router.server;

import org.junit.jupiter.api.BeforeAll;

/** The ported Triton request tests' server: {@link TritonRequests#writeModels} served for the whole test class. */
abstract class ServedTritonModels extends ServedRepositoryTest {

  @BeforeAll
  static void startServer() throws Exception {
    TritonRequests.writeModels(repository);
    serve();
  }
}
