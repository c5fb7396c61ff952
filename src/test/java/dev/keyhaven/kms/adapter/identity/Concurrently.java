package dev.keyhaven.kms.adapter.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs a check on several threads released at the same instant; gathers what went wrong. */
final class Concurrently {
  private Concurrently() {}

  /** One thread's share of the work: adds a line to {@code wrong} per wrong answer. */
  interface Work {
    void run(int thread, List<String> wrong) throws Exception;
  }

  /** Every line any thread reported; an exception in a thread fails the calling test. */
  static List<String> wrongAnswers(int threads, Work work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> wrong = new ArrayList<>();
                  work.run(thread, wrong);
                  return wrong;
                }));
      }
      start.countDown();
      List<String> wrong = new ArrayList<>();
      for (Future<List<String>> result : results) {
        wrong.addAll(result.get());
      }
      return wrong;
    } finally {
      pool.shutdownNow();
    }
  }
}
