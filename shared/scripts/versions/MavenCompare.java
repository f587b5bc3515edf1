import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.maven.artifact.versioning.ComparableVersion;

/**
 * Judge for generate-maven.py: reads `A<TAB>B` lines on stdin and prints `<`, `=` or `>` per line,
 * as maven-artifact's ComparableVersion orders A against B. Run from source (no .class kept):
 * java -cp /usr/share/maven/lib/maven-artifact-3.x.jar shared/scripts/versions/MavenCompare.java
 */
public class MavenCompare {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    String line;
    while ((line = in.readLine()) != null) {
      String[] pair = line.split("\t", -1);
      int order = new ComparableVersion(pair[0]).compareTo(new ComparableVersion(pair[1]));
      out.println(order < 0 ? "<" : order > 0 ? ">" : "=");
    }
    out.flush();
  }
}
