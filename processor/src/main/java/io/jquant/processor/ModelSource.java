package io.jquant.processor;

import io.jquant.annotations.rules.Attribute;
import io.jquant.annotations.rules.Place;
import io.jquant.annotations.rules.Violation;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * The source of a model declaration, which turns a violation's places into the most precise {@link Location}:
 * the first place whose value the user wrote; failing that, the annotation of the first place, or for a scale
 * spec the {@code format} that prescribed it.
 *
 * @param parts parallel to {@code layerClasses}
 */
record ModelSource(TypeElement model, AnnotationMirror mirror, List<PartSource> parts) {

  Location locate(Violation violation) {
    Location location = null;
    for (Place place : violation.places()) {
      Location written = written(place);
      if (written != null) {
        location = written;
        break;
      }
    }
    Place first = violation.place();
    if (location == null) {
      location = fallback(first);
    }
    if (first.part() != Place.MODEL && !parts.get(first.part()).inSource()) {
      return inListing(first.part());
    }
    return location;
  }

  /** The value the user wrote at {@code place}, or null. */
  private Location written(Place place) {
    Attribute attribute = place.attribute();
    if (place.part() == Place.MODEL) {
      AnnotationValue value = element(Mirrors.explicit(mirror, attribute.member()), place.index());
      return value == null ? null : new Location(model, mirror, value);
    }
    PartSource part = parts.get(place.part());
    if (attribute == Attribute.PROJECTION || attribute == Attribute.PROJECTION_KIND) {
      PartSource.ProjectionSource projection = part.projections().get(place.index());
      AnnotationValue value = Mirrors.explicit(projection.mirror(), attribute.member());
      return value == null ? null : new Location(projection.element(), projection.mirror(), value);
    }
    AnnotationMirror annotation = part.mirrorOf(attribute.annotation());
    AnnotationValue value = element(Mirrors.explicit(annotation, attribute.member()), place.index());
    return value == null ? null : new Location(part.type(), annotation, value);
  }

  private Location fallback(Place place) {
    if (place.part() == Place.MODEL) {
      return new Location(model, mirror, null);
    }
    PartSource part = parts.get(place.part());
    if (place.attribute() == Attribute.PROJECTION || place.attribute() == Attribute.PROJECTION_KIND) {
      PartSource.ProjectionSource projection = part.projections().get(place.index());
      return new Location(projection.element(), projection.mirror(), null);
    }
    AnnotationMirror annotation = part.mirrorOf(place.attribute().annotation());
    if (annotation != null) {
      return new Location(part.type(), annotation, null);
    }
    // An unwritten scale spec member came from the format's prescription.
    return new Location(part.type(), part.quantized(), Mirrors.explicit(part.quantized(), "format"));
  }

  /** Layer class {@code part} itself, or, compiled earlier without positions, its entry in layerClasses. */
  Location locateClass(int part) {
    return parts.get(part).inSource() ? new Location(parts.get(part).type(), null, null) : inListing(part);
  }

  /** A layer class compiled earlier has no source positions: point at its entry in layerClasses. */
  private Location inListing(int part) {
    AnnotationValue entry = element(Mirrors.explicit(mirror, "layerClasses"), part);
    String name = parts.get(part).type().getSimpleName().toString();
    return new Location(model, mirror, entry, "in layer class " + name + ": ");
  }

  /** Element {@code index} of an array value, or the value itself for {@link Place#WHOLE}. */
  private static AnnotationValue element(AnnotationValue value, int index) {
    if (value == null || index == Place.WHOLE) {
      return value;
    }
    if (value.getValue() instanceof List<?> items) {
      return index < items.size() ? (AnnotationValue) items.get(index) : value;
    }
    // A single-element array written without braces is read as that element.
    return value;
  }
}
