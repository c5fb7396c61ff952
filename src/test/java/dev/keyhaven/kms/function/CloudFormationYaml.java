package dev.keyhaven.kms.function;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a CloudFormation/SAM template: YAML whose short-form tags ({@code !Ref}, {@code !Sub},
 * {@code !GetAtt}, {@code !If}, …) become their long forms ({@code {"Ref": …}}, {@code {"Fn::Sub":
 * …}}), as CloudFormation itself reads them. Any other tag fails the parse.
 */
final class CloudFormationYaml {
  private static final List<String> FUNCTIONS =
      List.of(
          "Ref",
          "Sub",
          "GetAtt",
          "If",
          "Equals",
          "Not",
          "And",
          "Or",
          "Select",
          "Split",
          "Join",
          "FindInMap",
          "ImportValue",
          "GetAZs",
          "Base64",
          "Condition",
          "Cidr");

  private CloudFormationYaml() {}

  static Map<String, Object> load(Path template) throws IOException {
    return new Yaml(new Tags()).load(Files.readString(template));
  }

  private static final class Tags extends SafeConstructor {
    Tags() {
      super(new LoaderOptions());
      for (String name : FUNCTIONS) {
        String longForm = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
        this.yamlConstructors.put(
            new Tag("!" + name),
            new AbstractConstruct() {
              @Override
              public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                  value = scalar.getValue();
                } else if (node instanceof SequenceNode sequence) {
                  value = constructSequence(sequence);
                } else {
                  value = constructMapping((MappingNode) node);
                }
                return Map.of(longForm, value);
              }
            });
      }
    }
  }
}
