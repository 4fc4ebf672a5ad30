package io.jquant.processor;

import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/** Names of what is generated for a model: next to it, nesting flattened with '_' so names never collide. */
final class GeneratedNames {
  private GeneratedNames() {}

  static String packageName(TypeElement type) {
    Element enclosing = type;
    while (enclosing.getKind() != ElementKind.PACKAGE) {
      enclosing = enclosing.getEnclosingElement();
    }
    return ((PackageElement) enclosing).getQualifiedName().toString();
  }

  /** {@code Outer.Inner} gives {@code Outer_Inner}. */
  static String flatName(TypeElement type) {
    String qualified = type.getQualifiedName().toString();
    String pkg = packageName(type);
    return (pkg.isEmpty() ? qualified : qualified.substring(pkg.length() + 1)).replace('.', '_');
  }

  static String configClassName(TypeElement model) {
    return flatName(model) + "QuantConfig";
  }

  static String wiringClassName(TypeElement model) {
    return flatName(model) + "Wiring";
  }

  /** The folder of the model's serving configs on the class path, e.g. {@code META-INF/jquant/io.x.Llama}. */
  static String resourceFolder(TypeElement model) {
    String pkg = packageName(model);
    return "META-INF/jquant/" + (pkg.isEmpty() ? "" : pkg + ".") + flatName(model);
  }
}
