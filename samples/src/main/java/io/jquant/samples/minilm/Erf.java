package io.jquant.samples.minilm;

import io.jquant.runtime.numerics.VectorSupport;

/**
 * The error function for the exact GELU of BERT's MLP (Java has no {@code Math.erf}): a float32 one that the
 * GELU runs, vectorized in {@link ErfLanes}, and a double one it is tested against.
 *
 * <p>The float erf ({@code src/test/python/erff_coefficients.py}, which also measured it on 2 million floats
 * against math.erf: within 0.97 ulp) is {@code x + x · P(x²)} below {@link #SPLIT}, {@code 1 - exp(Q(|x| -
 * SPLIT))} up to {@link #ONE} with Q fitted to log(erfc), and ±1 from there; P and Q have float coefficients
 * and run as float FMA chains. ONNX Runtime's Erf is a float approximation too, so float is what the graph
 * asks for; the double erf, 14 FMAs in double per activation, was a tenth of a sentence's time.
 *
 * <p>The double erf on {@code [0, 6)} is 12 polynomials of degree 13, one per interval of 0.5 in
 * {@code t = z - centre}, fitted to mpmath's erf at 50 digits ({@code src/test/python/erf_coefficients.py},
 * which also measured the worst absolute error of this evaluation on a dense grid: 1.1e-16);
 * {@code erf(z) = ±1} from 6 on (erfc(6) is 2e-17) and {@code erf(-z) = -erf(z)}. A float result is thus the
 * correctly rounded float of erf, up to ties.
 */
final class Erf {
  /** Where the float erf switches from the odd polynomial to {@code 1 - exp(Q)}. */
  static final float SPLIT = 0.921875f;
  /** From here on the float erf is ±1: erfc(4) = 1.5e-8 is under half an ulp below 1. */
  static final float ONE = 4f;
  /** {@code erf(x) / x - 1} as a polynomial in {@code x²}, for {@code |x| < SPLIT}. */
  static final float[] P = { 0.12837916612625122f, -0.37612631916999817f, 0.11283677816390991f,
      -0.026858672499656677f, 0.0051995934918522835f, -0.0008129061316139996f, 8.320448250742629e-05f };
  /** {@code log(erfc(|x|))} as a polynomial in {@code |x| - SPLIT}, for {@code SPLIT ≤ |x| < ONE}. */
  static final float[] Q = { -1.6485618352890015f, -2.50801420211792f, -0.8329748511314392f,
      -0.04487809166312218f, 0.010960141196846962f, -0.002271359320729971f, 0.0003902921744156629f,
      -6.291695171967149e-05f, 1.2526601494755596e-05f, -2.6414891181048006e-06f, 3.719732148965704e-07f,
      -2.3022600714739383e-08f };
  /** The float32 reciprocal of √2 the graph divides by (its constant is float(√2) = 1.4142135381698608). */
  static final float SQRT2 = 1.4142135381698608f;

  private static final boolean VECTOR = VectorSupport.available() && ErfLanes.enabled();

  private static final double WIDTH = 0.5;
  private static final double LIMIT = 6.0;

  private static final double[][] COEFFICIENTS = {
      { 0.2763263901682369, 1.0600141293761143, -0.26500353234400065, -0.30917078773469353,
          0.12698085924102806, 0.0800531503944749, -0.040532657645127985, -0.016165083937657553,
          0.009695855921956511, 0.0026045470374379247, -0.0018532003149094312, -0.0003418591713565894,
          0.00028648418841031804, 3.612054597078884e-05 },
      { 0.7111556336535152, 0.6429310691952074, -0.48219830189642077, 0.026788794549785954,
          0.1506869693465337, -0.053242729165246916, -0.02687250990833466, 0.018435234988739915,
          0.0023018055067960774, -0.0039682530403285675, 0.00018562723114764313, 0.0006238282922099011,
          -0.00010144046050569906, -7.408267696943032e-05 },
      { 0.9229001282564582, 0.23652112244729076, -0.29565140305911153, 0.1675357950668438,
          -0.006159404230894554, -0.04718103640706467, 0.021301273011314903, 0.003625982778292196,
          -0.005697680259295816, 0.0008776295639177539, 0.0007935637167716964, -0.0003238179758273609,
          -5.335853801089811e-05, 5.434266860135707e-05 },
      { 0.9866716712191824, 0.052774995930150385, -0.09235624287775983, 0.09015728471400038,
          -0.048102209833019376, 0.006624361469441281, 0.008963045180405098, -0.006058751556227171,
          0.0007300475150105411, 0.0008941851072618596, -0.000442662986182854, -5.516073717025277e-06,
          6.765494047526522e-05, -1.6964123976564335e-05 },
      { 0.9985372834133188, 0.007142319022017981, -0.016070217799542874, 0.021724553691973052,
          -0.019083383636336496, 0.010657679165375557, -0.002904357130396939, -0.0006704559476776925,
          0.0009994964267518234, -0.00036938129087001927, -1.1530342183360473e-05, 6.515330197701095e-05,
          -2.194476110759552e-05, -1.529394009914992e-06 },
      { 0.9998993780778803, 0.0005862772470937923, -0.001612262429507294, 0.002760388705066617,
          -0.0032581136597932448, 0.002755808414071774, -0.0016573273880362306, 0.0006460409568095506,
          -8.901228685218668e-05, -7.122311958423156e-05, 5.5013830451403645e-05, -1.58437204313598e-05,
          -1.2680995234700322e-06, 2.6870311574358168e-06 },
      { 0.9999956972205363, 2.918902538358193e-05, -9.486433249663852e-05, 0.00019580971194805714,
          -0.00028656933775075046, 0.0003137972255145155, -0.0002635285041729894, 0.00016999141271213628,
          -8.164763216366251e-05, 2.591391733278597e-05, -2.3288392497208187e-06, -2.8657709573242782e-06,
          1.904304622016655e-06, -5.325745212289367e-07 },
      { 0.9999998862727434, 8.814321912317562e-07, -3.3053707171499067e-06, 7.96961606241608e-06,
          -1.3841239870094448e-05, 1.837097499325894e-05, -1.9272722199585123e-05, 1.6275303117062137e-05,
          -1.1128193049288699e-05, 6.108865953208328e-06, -2.6041152860150166e-06, 7.756569580942672e-07,
          -8.078487943567602e-08, -6.0634280203155e-08 },
      { 0.9999999981494259, 1.6143993719505824e-08, -6.861197330584323e-08, 1.8901925980017783e-07,
          -3.7879526983294104e-07, 5.872461797143794e-07, -7.309199654821232e-07, 7.477252274551512e-07,
          -6.378346546464524e-07, 4.570057010608718e-07, -2.7500788764830645e-07, 1.377756392652597e-07,
          -5.6552952026798714e-08, 1.7023584797880764e-08 },
      { 0.9999999999815149, 1.7934357034430776e-10, -8.518819585496946e-10, 2.637845013266843e-09,
          -5.980921403532058e-09, 1.0572396972150977e-08, -1.5144701783348502e-08, 1.8036298839008262e-08,
          -1.8173468850114622e-08, 1.5675633299443832e-08, -1.164559437221211e-08, 7.499935008050625e-09,
          -4.352335845523926e-09, 2.0539530195218728e-09 },
      { 0.9999999999998869, 1.2084074716658198e-12, -6.344139196450672e-12, 2.1801684761243068e-11,
          -5.5114717056045765e-11, 1.0920039127575876e-10, -1.7640269533276064e-10, 2.386045232863666e-10,
          -2.7540128854122915e-10, 2.7488762053074774e-10, -2.388875196970988e-10, 1.8336856925336757e-10,
          -1.3337612271362273e-10, 7.905081670289614e-11 },
      { 0.9999999999999996, 4.93848514261247e-15, -2.839628895245317e-14, 1.0720628061837093e-13,
          -2.987527851371606e-13, 6.549693336112879e-13, -1.1756753176007426e-12, 1.7755330994774888e-12,
          -2.3010913073025857e-12, 2.594675324877429e-12, -2.5585382055362462e-12, 2.2563768456329475e-12,
          -1.963814544694461e-12, 1.3674941810903033e-12 },
  };

  private Erf() {}

  /** erf(z) to about 1e-16 absolute; NaN for NaN. */
  static double erf(double z) {
    double a = Math.abs(z);
    if (!(a < LIMIT)) {
      return Double.isNaN(z) ? z : Math.copySign(1.0, z);
    }
    int i = (int) (a / WIDTH);
    double t = a - (i * WIDTH + WIDTH / 2);
    double[] c = COEFFICIENTS[i];
    double v = c[c.length - 1];
    for (int j = c.length - 2; j >= 0; j--) {
      v = Math.fma(v, t, c[j]);
    }
    return Math.copySign(v, z);
  }

  /** erf(x) in float32, within an ulp (see the class comment); NaN for NaN. */
  static float erf(float x) {
    float a = Math.abs(x);
    float r;
    if (a < SPLIT) {
      r = Math.fma(a, horner(P, a * a), a);
    } else if (a < ONE) {
      r = 1f - (float) Math.exp(horner(Q, a - SPLIT));
    } else {
      return Float.isNaN(x) ? x : Math.copySign(1f, x);
    }
    return Math.copySign(r, x);
  }

  private static float horner(float[] c, float t) {
    float v = c[c.length - 1];
    for (int j = c.length - 2; j >= 0; j--) {
      v = Math.fma(v, t, c[j]);
    }
    return v;
  }

  /**
   * The exact GELU as the exported graph computes it, in float: {@code (x · (1 + erf(x / √2))) · 0.5} with
   * the float erf.
   */
  static float gelu(float x) {
    float e = erf(x / SQRT2);
    return x * (1f + e) * 0.5f;
  }

  /**
   * {@link #gelu} of {@code v[from, to)} in place, vectorized when the Vector API is there (every value by
   * the same lane operations, the tail under a mask, so a value's result does not depend on where a range
   * starts; the vector exp may round differently from {@link Math#exp}).
   */
  static void gelu(float[] v, int from, int to) {
    if (VECTOR) {
      ErfLanes.gelu(v, from, to);
    } else {
      for (int i = from; i < to; i++) {
        v[i] = gelu(v[i]);
      }
    }
  }
}
