package io.jquant.processor;

import com.google.auto.service.AutoService;
import io.jquant.annotations.rules.ModelCheck;
import io.jquant.annotations.rules.ModelRules;
import io.jquant.annotations.rules.RuleId;
import io.jquant.annotations.rules.ServingRules;
import io.jquant.config.QuantConfig;
import io.jquant.config.hf.ModuleNames;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;

/**
 * Checks every {@code @QuantizedModel} and its {@code @Quantized} layer classes with the rule set, reports
 * each violation on the annotation value at fault, and, for a model without violations, writes
 * {@code <Model>QuantConfig}, {@code <Model>Wiring} and the serving engines' quantization configs.
 *
 * <p>A model whose layer classes javac cannot resolve yet (they may be generated later) waits for the next
 * round. Nothing is generated for a model with errors.
 *
 * <p>Options: {@code -Ajquant.checkpoint=<path>} compares each clean model's declared config with that
 * checkpoint's ({@code config.json}, {@code hf_quant_config.json} or their directory; a relative path is
 * against javac's working directory). A compilation of several models checks them all against it unless
 * {@code -Ajquant.checkpoint.model=<qualified class name>} names the one the checkpoint belongs to.
 */
@AutoService(Processor.class)
public final class QuantizedProcessor extends AbstractProcessor {
  /** Top-level types compiled in this run, by name: only their diagnostics have positions. */
  private final Set<String> sourceTypes = new HashSet<>();
  /** Models waiting for their layer classes, by name (elements are never kept across rounds). */
  private final Set<String> deferred = new LinkedHashSet<>();
  /** {@code @Quantized} classes seen that no model has listed yet. */
  private final Set<String> unlisted = new LinkedHashSet<>();
  /** Generated class names and the model each was generated for, to catch two models flattening alike. */
  private final Map<String, String> generatedBy = new HashMap<>();

  /** Whether the model {@code jquant.checkpoint.model} names was seen. */
  private boolean checkpointModelSeen;

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(CheckpointCheck.OPTION, CheckpointCheck.MODEL_OPTION);
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(Names.QUANTIZED_MODEL, Names.QUANTIZED);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    for (TypeElement root : ElementFilter.typesIn(round.getRootElements())) {
      sourceTypes.add(root.getQualifiedName().toString());
    }
    Set<String> models = new LinkedHashSet<>(deferred);
    deferred.clear();
    TypeElement annotation = processingEnv.getElementUtils().getTypeElement(Names.QUANTIZED_MODEL);
    if (annotation != null) {
      for (TypeElement model : ElementFilter.typesIn(round.getElementsAnnotatedWith(annotation))) {
        models.add(model.getQualifiedName().toString());
      }
    }
    TypeElement quantized = processingEnv.getElementUtils().getTypeElement(Names.QUANTIZED);
    if (quantized != null) {
      for (TypeElement layerClass : ElementFilter.typesIn(round.getElementsAnnotatedWith(quantized))) {
        unlisted.add(layerClass.getQualifiedName().toString());
      }
    }
    for (String name : models) {
      TypeElement model = processingEnv.getElementUtils().getTypeElement(name);
      if (model != null) {
        processModel(model, round.processingOver());
      }
    }
    if (round.processingOver()) {
      checkUnlistedLayerClasses();
      checkCheckpointModelSeen();
    }
    return false;
  }

  /**
   * A layer class that no model of this compilation lists (a library of layers, or a forgotten entry) is
   * checked on its own, so its mistakes show where it is written.
   */
  private void checkUnlistedLayerClasses() {
    Reporter reporter = new Reporter(processingEnv.getMessager());
    for (String name : unlisted) {
      TypeElement layerClass = processingEnv.getElementUtils().getTypeElement(name);
      if (layerClass == null) {
        continue;
      }
      try {
        PartReader.Read read = new PartReader(new Mirrors(processingEnv.getElementUtils())).read(layerClass,
            true);
        ModelSource source = new ModelSource(layerClass, read.source().quantized(), List.of(read.source()));
        reporter.report(ModelRules.checkLayerClass(read.declaration()), source);
      } catch (Mirrors.Unreadable unreadable) {
        // javac has already reported the malformed annotation value.
      } catch (RuntimeException | Error failure) {
        reporter.crash(layerClass, failure);
      }
    }
    unlisted.clear();
  }

  private void processModel(TypeElement model, boolean lastRound) {
    Reporter reporter = new Reporter(processingEnv.getMessager());
    try {
      Mirrors mirrors = new Mirrors(processingEnv.getElementUtils());
      ModelReader.Read read = new ModelReader(mirrors, this::isInSource).read(model);
      if (!read.isComplete()) {
        if (lastRound) {
          reportUnresolved(model, read, reporter);
        } else {
          deferred.add(model.getQualifiedName().toString());
        }
        return;
      }
      read.declaration().layerClasses().forEach(part -> unlisted.remove(part.className()));
      ModelCheck check = ModelRules.check(read.declaration());
      reporter.report(check.violations(), read.source());
      if (check.isClean() && runtimePresent(model, read, reporter) && nameIsFree(model, read, reporter)) {
        QuantConfig declared = DeclaredConfig.of(read.declaration(), check);
        List<WiringWriter.LayerClass> wiring = readWiring(read, check, reporter);
        if (wiring != null) {
          generate(model, read, check, declared, wiring);
          reporter.warn(ServingRules.check(check, read.declaration().numLayers()), read.source(), model);
        }
        checkCheckpoint(read, check, declared, reporter);
      }
    } catch (Mirrors.Unreadable unreadable) {
      // javac has already reported the malformed annotation value.
    } catch (RuntimeException | IOException | Error failure) {
      reporter.crash(model, failure);
    }
  }

  private void generate(TypeElement model, ModelReader.Read read, ModelCheck check, QuantConfig declared,
      List<WiringWriter.LayerClass> wiring) throws IOException {
    ModuleNames names = LayerProjections.moduleNames(read.declaration(), check);
    boolean hf = new ServingResourceWriter(processingEnv.getFiler())
        .write(model, read.declaration().numLayers(), declared, names);
    new QuantConfigWriter(processingEnv.getFiler(), processingEnv.getElementUtils())
        .write(model, read.declaration(), declared, hf);
    new WiringWriter(processingEnv.getFiler(), processingEnv.getElementUtils())
        .write(model, check, wiring, names);
  }

  /** Each layer class's wiring constructor, or null after reporting the classes that have none. */
  private List<WiringWriter.LayerClass> readWiring(ModelReader.Read read, ModelCheck check,
      Reporter reporter) {
    WiringReader reader = new WiringReader(new Mirrors(processingEnv.getElementUtils()),
        processingEnv.getTypeUtils(), processingEnv.getElementUtils().getTypeElement(Names.LINEAR));
    LayerAssignment assignment = LayerAssignment.of(read.declaration(), check);
    List<Problem> problems = new ArrayList<>();
    List<WiringWriter.LayerClass> classes = new ArrayList<>();
    for (int i = 0; i < read.declaration().layerClasses().size(); i++) {
      WiringReader.Constructor constructor = reader.read(read.source(), i,
          read.declaration().layerClasses().get(i), problems);
      if (constructor != null) {
        classes.add(new WiringWriter.LayerClass(read.source().parts().get(i).type(), check.roles().get(i),
            constructor.arguments(), assignment.builds().get(i), assignment.alone().get(i)));
      }
    }
    reporter.report(problems);
    return problems.isEmpty() ? classes : null;
  }

  private void checkCheckpoint(ModelReader.Read read, ModelCheck check, QuantConfig declared,
      Reporter reporter) {
    String checkpoint = processingEnv.getOptions().get(CheckpointCheck.OPTION);
    String only = processingEnv.getOptions().get(CheckpointCheck.MODEL_OPTION);
    if (checkpoint == null) {
      return;
    }
    if (only != null) {
      if (!only.equals(read.declaration().className())) {
        return;
      }
      checkpointModelSeen = true;
    }
    reporter
        .report(new CheckpointCheck(checkpoint).check(read.declaration(), check, declared, read.source()));
  }

  /** A {@code jquant.checkpoint.model} that names no model would silently check nothing. */
  private void checkCheckpointModelSeen() {
    String only = processingEnv.getOptions().get(CheckpointCheck.MODEL_OPTION);
    if (only != null && processingEnv.getOptions().get(CheckpointCheck.OPTION) != null
        && !checkpointModelSeen) {
      new Reporter(processingEnv.getMessager()).report(new Problem(RuleId.CHECKPOINT_UNREADABLE,
          "-A" + CheckpointCheck.MODEL_OPTION + "=" + only
              + " names no @QuantizedModel of this compilation that "
              + "passed its checks; nothing was compared with -A" + CheckpointCheck.OPTION + ".",
          new Location(null, null, null)));
    }
  }

  /**
   * {@code Outer_Llama} and {@code Outer.Llama} both flatten to {@code Outer_LlamaQuantConfig}; the second
   * model gets an error that says so instead of a Filer failure.
   */
  private boolean nameIsFree(TypeElement model, ModelReader.Read read, Reporter reporter) {
    String generated = GeneratedNames.packageName(model) + "." + GeneratedNames.configClassName(model);
    String modelName = model.getQualifiedName().toString();
    String claimant = generatedBy.putIfAbsent(generated, modelName);
    boolean taken = processingEnv.getElementUtils().getTypeElement(generated) != null;
    if ((claimant == null || claimant.equals(modelName)) && !taken) {
      return true;
    }
    reporter.report(new Problem(RuleId.SETUP_GENERATED_NAME_CLASH, "jquant generates " + generated
        + " for this model, but " + (claimant != null && !claimant.equals(modelName)
            ? "model " + claimant + " generates a class of the same name"
            : "a class of that name exists already")
        + "; rename one of them.",
        new Location(model, read.source().mirror(), null)));
    return false;
  }

  /**
   * Generated code builds runtime classes; without the runtime it would fail with a flood of symbol errors.
   */
  private boolean runtimePresent(TypeElement model, ModelReader.Read read, Reporter reporter) {
    Elements elements = processingEnv.getElementUtils();
    if (elements.getTypeElement(QuantConfig.class.getCanonicalName()) != null
        && elements.getTypeElement(Names.LINEAR) != null) {
      return true;
    }
    reporter.report(new Problem(RuleId.SETUP_RUNTIME_MISSING, "io.jquant:jquant-runtime is not on the class "
        + "path, and the generated " + GeneratedNames.configClassName(model) + " needs it; add it as a "
        + "dependency.",
        new Location(model, read.source().mirror(), null)));
    return false;
  }

  private void reportUnresolved(TypeElement model, ModelReader.Read read, Reporter reporter) {
    var listed = Mirrors.arrayValue(Mirrors.explicit(read.source().mirror(), "layerClasses"));
    for (int index : read.unresolved()) {
      // javac keeps no name for an unresolved class literal (its value is the string "<error>"), so the
      // message says "this"; javac's own "cannot find symbol" next to it names the type.
      reporter.report(new Problem(RuleId.MODEL_UNRESOLVED_LAYER_CLASS, "this layer class cannot be resolved; "
          + "if it is generated, check the earlier errors, otherwise add it to the class path.",
          new Location(model, read.source().mirror(), listed.get(index))));
    }
  }

  private boolean isInSource(TypeElement type) {
    Element outermost = type;
    while (outermost.getEnclosingElement() instanceof TypeElement enclosing) {
      outermost = enclosing;
    }
    return sourceTypes.contains(((TypeElement) outermost).getQualifiedName().toString());
  }
}
