package io.pgsnow.smt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.transforms.Transformation;
import org.junit.jupiter.api.Test;

/** Every transform in the module is a plugin that Connect can find and describe. */
class PluginRegistrationTest {
  private static final String SERVICES =
      "META-INF/services/org.apache.kafka.connect.transforms.Transformation";

  private static Set<String> listed() throws IOException {
    try (InputStream in = Flatten.class.getClassLoader().getResourceAsStream(SERVICES)) {
      return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Concrete public Transformation classes among the module's compiled classes. */
  private static Set<String> compiledTransformations() throws Exception {
    Path classes =
        Paths.get(Flatten.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name =
            classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> type = Class.forName(name, false, Flatten.class.getClassLoader());
        if (Transformation.class.isAssignableFrom(type)
            && Modifier.isPublic(type.getModifiers())
            && !Modifier.isAbstract(type.getModifiers())
            && !type.isAnonymousClass()) {
          found.add(type.getName());
        }
      }
    }
    return found;
  }

  @Test
  void everyTransformationIsListedInMetaInfServices() throws Exception {
    assertThat(compiledTransformations()).hasSize(8).isEqualTo(listed());
  }

  @Test
  void everyListedClassLoadsConfiguresAndReportsAVersion() throws Exception {
    for (String name : listed()) {
      Class<?> type = Class.forName(name);
      Object plugin = type.getDeclaredConstructor().newInstance();
      assertThat(plugin).isInstanceOf(Versioned.class);
      assertThat(((Versioned) plugin).version()).isNotBlank();
      assertThat(((Transformation<?>) plugin).config().configKeys()).isNotEmpty();
    }
  }

  @Test
  void keyAndValueVariantsOfEachTransform() throws Exception {
    List<String> bases =
        listed().stream().map(n -> n.substring(0, n.indexOf('$'))).distinct().toList();
    for (String base : bases) {
      assertThat(listed()).contains(base + "$Key", base + "$Value");
    }
  }
}
