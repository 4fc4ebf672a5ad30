package io.jquant.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.QualifiedNameable;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;

/**
 * The test utility of the processor tests: a small source builder for layer classes and models in package
 * {@code test}, compilation with {@link QuantizedProcessor}, positions of text in a source (so a test says
 * "the error is on {@code "x"}" and the line and column follow from the source), golden files, and the
 * generated JSON resources.
 */
final class TestSources {
  /** The package every test source is in. */
  static final String PACKAGE = "test";

  static final List<String> MLP = List.of("mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
  static final List<String> ATTENTION = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
      "self_attn.o_proj");

  /** A Llama-3.2-1B shaped model over {@code LlamaMlp} and {@code LlamaAttention}. */
  static final String LLAMA_MODEL = "name = \"llama-3.2-1b\", numLayers = 16, layerClasses ="
      + " {LlamaMlp.class, LlamaAttention.class}";

  private TestSources() {}

  // ---- sources ----

  /**
   * {@code test.<simpleName>}: the package clause, {@code import io.jquant.annotations.*;}, a blank line,
   * then {@code lines}.
   */
  static JavaFileObject source(String simpleName, String... lines) {
    List<String> all = new ArrayList<>();
    all.add("package " + PACKAGE + ";");
    all.add("");
    all.add("import io.jquant.annotations.*;");
    all.add("");
    all.addAll(Arrays.asList(lines));
    return JavaFileObjects.forSourceLines(PACKAGE + "." + simpleName, all);
  }

  /**
   * A layer record with {@code annotations} (one per line, e.g. {@code "@Quantized(format = ...)"}) and one
   * {@code @Projection Object pN} component per name, one per line: the generated wiring builds it through
   * its canonical constructor.
   */
  static JavaFileObject layer(String simpleName, List<String> projections, String... annotations) {
    List<String> lines = new ArrayList<>(Arrays.asList(annotations));
    lines.add("public record " + simpleName + "(");
    for (int i = 0; i < projections.size(); i++) {
      lines.add("  @Projection(\"" + projections.get(i) + "\") Object p" + i
          + (i + 1 < projections.size() ? "," : ") {"));
    }
    if (projections.isEmpty()) {
      lines.add(") {");
    }
    lines.add("}");
    return source(simpleName, lines.toArray(String[]::new));
  }

  /** An MLP with gate, up and down projections ({@link #MLP}). */
  static JavaFileObject mlp(String simpleName, String... annotations) {
    return layer(simpleName, MLP, annotations);
  }

  /** Attention with q, k, v and o projections ({@link #ATTENTION}). */
  static JavaFileObject attention(String simpleName, String... annotations) {
    return layer(simpleName, ATTENTION, annotations);
  }

  /** {@code @QuantizedModel(<args>) public final class <simpleName> {}}, the annotation on one line. */
  static JavaFileObject model(String simpleName, String args) {
    return source(simpleName, "@QuantizedModel(" + args + ")", "public final class " + simpleName + " {}");
  }

  /** {@code Llama} over {@code LlamaMlp} and {@code LlamaAttention}, 16 layers, plus {@code extraArgs}. */
  /**
   * A BERT-like model as MiniLM declares it: 6 layers under {@code encoder.layer.{layer}}, INT8 W8A8, an
   * attention class with BERT's projection names (quantized in {@code attentionLayers}, or every layer when
   * null) and an up/down MLP quantized in layers 0-3.
   */
  static JavaFileObject[] miniLm(String attentionLayers) {
    JavaFileObject model = model("MiniLm", "name = \"minilm\", numLayers = 6, "
        + "checkpointPrefix = \"encoder.layer.{layer}\", layerClasses = {BertAttention.class,"
        + " BertMlp.class}");
    JavaFileObject attention = source("BertAttention",
        "import io.jquant.runtime.Linear;",
        "",
        "@Quantized(format = QuantFormat.INT8_W8A8, role = Role.ATTENTION"
            + (attentionLayers == null ? "" : ", layers = \"" + attentionLayers + "\"") + ")",
        "public record BertAttention(",
        "    @Projection(value = \"attention.self.query\", kind = ProjectionKind.Q) Linear query,",
        "    @Projection(value = \"attention.self.key\", kind = ProjectionKind.K) Linear key,",
        "    @Projection(value = \"attention.self.value\", kind = ProjectionKind.V) Linear value,",
        "    @Projection(value = \"attention.output.dense\", kind = ProjectionKind.O) Linear output) {}");
    JavaFileObject mlp = source("BertMlp",
        "import io.jquant.runtime.Linear;",
        "",
        "@Quantized(format = QuantFormat.INT8_W8A8, layers = \"0-3\")",
        "public record BertMlp(",
        "    @Projection(value = \"intermediate.dense\", kind = ProjectionKind.UP) Linear up,",
        "    @Projection(value = \"output.dense\", kind = ProjectionKind.DOWN) Linear down) {}");
    return new JavaFileObject[] { model, attention, mlp };
  }

  static JavaFileObject llama(String extraArgs) {
    return model("Llama", LLAMA_MODEL + (extraArgs.isEmpty() ? "" : ", " + extraArgs));
  }

  static JavaFileObject llama() {
    return llama("");
  }

  // ---- compiling ----

  static Compiler compiler() {
    return Compiler.javac().withProcessors(new QuantizedProcessor());
  }

  static Compilation compile(JavaFileObject... sources) {
    return compiler().compile(sources);
  }

  // ---- positions ----

  /** A 1-based line and column, as javac reports them. */
  record Spot(int line, int column) {}

  /** Where the first occurrence of {@code needle} starts in {@code file}. */
  static Spot at(JavaFileObject file, String needle) {
    return at(file, needle, 1);
  }

  /** Where the {@code occurrence}-th (1-based) occurrence of {@code needle} starts in {@code file}. */
  static Spot at(JavaFileObject file, String needle, int occurrence) {
    String text = content(file);
    int index = -1;
    for (int n = 0; n < occurrence; n++) {
      index = text.indexOf(needle, index + 1);
      if (index < 0) {
        throw new AssertionError("occurrence " + occurrence + " of <" + needle + "> not in " + file.getName()
            + ":\n" + text);
      }
    }
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Spot(line, index - lineStart + 1);
  }

  /**
   * Asserts that {@code compilation} has an error containing {@code message} in {@code file}, at the first
   * occurrence of {@code needle}.
   */
  static void assertErrorAt(Compilation compilation, String message, JavaFileObject file, String needle) {
    assertErrorAt(compilation, message, file, at(file, needle));
  }

  static void assertErrorAt(Compilation compilation, String message, JavaFileObject file, Spot spot) {
    assertThat(compilation).hadErrorContaining(message).inFile(file).onLine(spot.line())
        .atColumn(spot.column());
  }

  /**
   * Asserts that {@code compilation} succeeded and that its only warnings are the serving engines' rules
   * named, one warning each ({@code "Serving.MaxLayerSets"}, ...; none named: no warning at all). Their texts
   * are ServingWarningsTest's; this pins which of them a declaration draws.
   */
  static void assertSucceededWithServingWarnings(Compilation compilation, String... servingRules) {
    assertThat(compilation).succeeded();
    List<String> warnings = compilation.warnings().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
    assertWithMessage("warnings other than [jquant:Serving.*]; all diagnostics:\n%s", describe(compilation))
        .that(warnings.stream().filter(m -> !m.startsWith("[jquant:Serving.")).toList())
        .isEmpty();
    List<String> rules = warnings.stream().filter(m -> m.startsWith("[jquant:Serving."))
        .map(m -> m.substring("[jquant:".length(), m.indexOf(']'))).sorted().toList();
    assertWithMessage("serving warnings; all diagnostics:\n%s", describe(compilation))
        .that(rules).isEqualTo(Arrays.stream(servingRules).sorted().toList());
  }

  /** The messages of all errors, in the order javac reported them. */
  static List<String> errorMessages(Compilation compilation) {
    return compilation.errors().stream().map(d -> d.getMessage(Locale.ROOT)).toList();
  }

  /** Every diagnostic, one per line, for failure messages. */
  static String describe(Compilation compilation) {
    return compilation.diagnostics().stream()
        .map(d -> d.getKind() + " " + (d.getSource() == null ? "-" : d.getSource().getName()) + ":"
            + d.getLineNumber() + ":" + d.getColumnNumber() + " " + d.getMessage(Locale.ROOT))
        .collect(Collectors.joining("\n"));
  }

  /** The one error of {@code compilation} at {@code spot} of {@code file}. */
  static Diagnostic<? extends JavaFileObject> errorAt(Compilation compilation, JavaFileObject file,
      Spot spot) {
    List<Diagnostic<? extends JavaFileObject>> found = compilation.errors().stream()
        .filter(d -> d.getSource() != null && d.getSource().toUri().equals(file.toUri()))
        .filter(d -> d.getLineNumber() == spot.line() && d.getColumnNumber() == spot.column())
        .toList();
    assertWithMessage("errors at %s in %s; all diagnostics:\n%s", spot, file.getName(), describe(compilation))
        .that(found).hasSize(1);
    return found.get(0);
  }

  // ---- generated files ----

  static String content(JavaFileObject file) {
    try {
      return file.getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated {@code <fqcn>} source's text. */
  static String generatedSource(Compilation compilation, String qualifiedName) {
    Optional<JavaFileObject> file = compilation.generatedSourceFile(qualifiedName);
    assertWithMessage("generated source %s; diagnostics:\n%s", qualifiedName, describe(compilation))
        .that(file.isPresent()).isTrue();
    return content(file.get());
  }

  /** The text of class-path resource {@code path} the compilation generated. */
  static String generatedResource(Compilation compilation, String path) {
    Optional<JavaFileObject> file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT, "", path);
    assertWithMessage("generated resource %s; generated files: %s", path,
        compilation.generatedFiles().stream().map(JavaFileObject::getName).toList())
        .that(file.isPresent()).isTrue();
    return content(file.get());
  }

  /** The JSON object of class-path resource {@code path} the compilation generated. */
  static Map<String, Object> generatedJson(Compilation compilation, String path) {
    try {
      return JSON.std.mapFrom(generatedResource(compilation, path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The names of the generated files that are not class files: sources and resources. */
  static List<String> generatedNonClassFiles(Compilation compilation) {
    return compilation.generatedFiles().stream()
        .filter(f -> f.getKind() != JavaFileObject.Kind.CLASS)
        .map(JavaFileObject::getName)
        .sorted()
        .toList();
  }

  // ---- goldens ----

  private static final Path GOLDENS = Path.of("src", "test", "resources", "goldens");

  /**
   * Compares {@code actual} with golden {@code goldens/<testClass>/<method>/<fqcn>.java} by text. A missing
   * golden fails with the path it is expected at; {@code -Djquant.writeGoldens=true} writes it.
   */
  static void assertMatchesGolden(Class<?> testClass, String method, String qualifiedName, String actual) {
    assertProjectStyle(qualifiedName, actual);
    String relative = testClass.getSimpleName() + "/" + method + "/" + qualifiedName + ".java";
    Path source = GOLDENS.resolve(relative);
    if (Boolean.getBoolean("jquant.writeGoldens")) {
      try {
        Files.createDirectories(source.getParent());
        Files.writeString(source, actual, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    String expected;
    try (InputStream in = TestSources.class.getResourceAsStream("/goldens/" + relative)) {
      if (in == null) {
        throw new AssertionError("missing golden file: expected it at " + source.toAbsolutePath()
            + " (run with -Djquant.writeGoldens=true to write it). Actual content:\n" + actual);
      }
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertWithMessage("generated %s against golden %s", qualifiedName, source.toAbsolutePath())
        .that(actual).isEqualTo(expected);
  }

  /** Generated code reads like the project's: two-space indentation, lines of at most 110 columns. */
  static void assertProjectStyle(String qualifiedName, String source) {
    List<String> offending = new ArrayList<>();
    String[] lines = source.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int indent = line.length() - line.stripLeading().length();
      boolean javadocBody = line.stripLeading().startsWith("*");
      if (line.length() > 110 || (!javadocBody && indent % 2 != 0) || line.contains("\t")
          || line.endsWith(" ")) {
        offending.add((i + 1) + ": " + line);
      }
    }
    assertWithMessage("lines of generated %s outside the project's style", qualifiedName)
        .that(offending).isEmpty();
  }

  // ---- class paths ----

  /** The test class path's entries, minus those {@code exclude} accepts (by file name). */
  static List<File> classPathWithout(java.util.function.Predicate<String> exclude) {
    List<File> files = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty() && !exclude.test(entry)) {
        files.add(new File(entry));
      }
    }
    return files;
  }

  /** Where {@code type}'s class file was loaded from (a jar or a classes directory). */
  static File codeSourceOf(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes the class files {@code compilation} produced under {@code root}, as a library on a class path. */
  static void writeClassFiles(Compilation compilation, Path root) throws IOException {
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) {
        continue;
      }
      // Names look like /CLASS_OUTPUT/test/LlamaMlp.class.
      String name = file.toUri().getPath();
      String relative = name.substring(name.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length());
      Path target = root.resolve(relative);
      Files.createDirectories(target.getParent());
      try (InputStream in = file.openInputStream()) {
        Files.write(target, in.readAllBytes());
      }
    }
  }

  // ---- loading generated classes ----

  /** A class loader over the compilation's class files, with the test class path as parent. */
  static ClassLoader classLoader(Compilation compilation) {
    return new ClassLoader(TestSources.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        Optional<JavaFileObject> file = compilation.generatedFile(StandardLocation.CLASS_OUTPUT,
            name.replace('.', '/') + ".class");
        if (file.isEmpty()) {
          throw new ClassNotFoundException(name);
        }
        try (InputStream in = file.get().openInputStream()) {
          byte[] bytes = in.readAllBytes();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    };
  }

  /** Runs the generated {@code <configClass>.config()}, which builds the config through the runtime. */
  static io.jquant.config.QuantConfig loadConfig(Compilation compilation, String configClass) {
    try {
      Class<?> type = Class.forName(configClass, true, classLoader(compilation));
      return (io.jquant.config.QuantConfig) type.getMethod("config").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot run " + configClass + ".config()", e);
    }
  }

  /** A public static final field of a generated class. */
  static Object loadConstant(Compilation compilation, String className, String field) {
    try {
      return Class.forName(className, true, classLoader(compilation)).getField(field).get(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot read " + className + "." + field, e);
    }
  }

  // ---- processors ----

  /**
   * A {@link QuantizedProcessor} whose Filer records what it creates: {@code "SOURCE test.X"} or
   * {@code "RESOURCE META-INF/..."}, each with the qualified names of its originating elements.
   * compile-testing hides a failed compilation's files; this shows what the processor wrote anyway.
   */
  static final class RecordingProcessor implements Processor {
    /** A file the processor created, and the elements it named as its origin. */
    record Created(String file, List<String> originatingElements) {}

    private final QuantizedProcessor delegate = new QuantizedProcessor();
    private final List<Created> created = new CopyOnWriteArrayList<>();
    private final String resourceFailure;

    RecordingProcessor() {
      this(null);
    }

    /** A processor whose Filer fails every resource with an IOException saying {@code resourceFailure}. */
    RecordingProcessor(String resourceFailure) {
      this.resourceFailure = resourceFailure;
    }

    List<Created> created() {
      return List.copyOf(created);
    }

    List<String> createdFiles() {
      return created.stream().map(Created::file).sorted().toList();
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      delegate
          .init(new RecordingEnvironment(env, new RecordingFiler(env.getFiler(), created, resourceFailure)));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(
        Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }

  private record RecordingEnvironment(ProcessingEnvironment env, Filer filer)
      implements ProcessingEnvironment {
    @Override
    public Map<String, String> getOptions() {
      return env.getOptions();
    }

    @Override
    public Messager getMessager() {
      return env.getMessager();
    }

    @Override
    public Filer getFiler() {
      return filer;
    }

    @Override
    public Elements getElementUtils() {
      return env.getElementUtils();
    }

    @Override
    public Types getTypeUtils() {
      return env.getTypeUtils();
    }

    @Override
    public SourceVersion getSourceVersion() {
      return env.getSourceVersion();
    }

    @Override
    public Locale getLocale() {
      return env.getLocale();
    }

    @Override
    public boolean isPreviewEnabled() {
      return env.isPreviewEnabled();
    }
  }

  private record RecordingFiler(Filer filer, List<RecordingProcessor.Created> created, String resourceFailure)
      implements Filer {
    @Override
    public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements)
        throws IOException {
      created.add(new RecordingProcessor.Created("SOURCE " + name, names(originatingElements)));
      return filer.createSourceFile(name, originatingElements);
    }

    @Override
    public JavaFileObject createClassFile(CharSequence name, Element... originatingElements)
        throws IOException {
      created.add(new RecordingProcessor.Created("CLASS " + name, names(originatingElements)));
      return filer.createClassFile(name, originatingElements);
    }

    @Override
    public FileObject createResource(javax.tools.JavaFileManager.Location location, CharSequence moduleAndPkg,
        CharSequence relativeName, Element... originatingElements) throws IOException {
      String pkg = moduleAndPkg.toString();
      created.add(new RecordingProcessor.Created(
          "RESOURCE " + (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + relativeName,
          names(originatingElements)));
      if (resourceFailure != null) {
        throw new IOException(resourceFailure);
      }
      return filer.createResource(location, moduleAndPkg, relativeName, originatingElements);
    }

    @Override
    public FileObject getResource(javax.tools.JavaFileManager.Location location, CharSequence moduleAndPkg,
        CharSequence relativeName) throws IOException {
      return filer.getResource(location, moduleAndPkg, relativeName);
    }

    private static List<String> names(Element... elements) {
      return Arrays.stream(elements)
          .map(e -> e instanceof QualifiedNameable q ? q.getQualifiedName().toString() : e.toString())
          .toList();
    }
  }

  /**
   * Another processor that writes source {@code test.<simpleName>} with {@code lines} in its first round, as
   * a code generator would write a layer class the model lists.
   */
  static final class GeneratingProcessor extends AbstractProcessor {
    private final String simpleName;
    private final String[] lines;
    private boolean done;

    GeneratingProcessor(String simpleName, String... lines) {
      this.simpleName = simpleName;
      this.lines = lines;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (done) {
        return false;
      }
      done = true;
      try (var out = new java.io.PrintWriter(
          processingEnv.getFiler().createSourceFile(PACKAGE + "." + simpleName).openWriter())) {
        out.println(content(source(simpleName, lines)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return false;
    }
  }
}
