package io.c360.pipelines.generate;

@picocli.CommandLine.Command(name = "generate")
public class GenerateCommand implements java.util.concurrent.Callable<Integer> {
  public Integer call() {
    return 0;
  }
}
