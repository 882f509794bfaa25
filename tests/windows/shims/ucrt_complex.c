/* Test-only C99 complex functions for Wine, whose ucrtbase.dll has them as stubs.
 *
 * Wine 8 and 10 export crealf, cexp, cpow, cabsf, ... from ucrtbase.dll as "unimplemented
 * function" stubs; numpy calls some at import and the rest for complex math. This DLL
 * implements them with the Microsoft ABI (_Fcomplex, _Dcomplex and _Lcomplex are structs
 * of two floats or doubles; long double is double) on top of MinGW-w64's libm, and
 * sitecustomize.py redirects each Wine stub to it. Never shipped in the installer.
 * Built by tests/windows/wine.py with x86_64-w64-mingw32-gcc -shared and ucrt_complex.def.
 */
#include <complex.h>
#include <math.h>

typedef struct { float v[2]; } Fc;  /* _Fcomplex */
typedef struct { double v[2]; } Dc; /* _Dcomplex, and _Lcomplex since long double is double */

static double _Complex d_in(Dc z) { return __builtin_complex(z.v[0], z.v[1]); }
static float _Complex f_in(Fc z) { return __builtin_complex(z.v[0], z.v[1]); }
static Dc d_out(double _Complex z) { Dc r = {{creal(z), cimag(z)}}; return r; }
static Fc f_out(float _Complex z) { Fc r = {{crealf(z), cimagf(z)}}; return r; }

static double _Complex clog10_d(double _Complex z) { return clog(z) / M_LN10; }
static float _Complex clog10_f(float _Complex z) { return clogf(z) / (float)M_LN10; }
static double norm_d(double _Complex z) { return creal(z) * creal(z) + cimag(z) * cimag(z); }
static float norm_f(float _Complex z) {
    return crealf(z) * crealf(z) + cimagf(z) * cimagf(z);
}

/* One complex argument, complex result: double, float and "long double" versions. */
#define UNARY(name, dfn, ffn)                                        \
    Dc w_##name(Dc z) { return d_out(dfn(d_in(z))); }                \
    Fc w_##name##f(Fc z) { return f_out(ffn(f_in(z))); }             \
    Dc w_##name##l(Dc z) { return d_out(dfn(d_in(z))); }

/* One complex argument, real result. */
#define TO_REAL(name, dfn, ffn)                                      \
    double w_##name(Dc z) { return dfn(d_in(z)); }                   \
    float w_##name##f(Fc z) { return ffn(f_in(z)); }                 \
    double w_##name##l(Dc z) { return dfn(d_in(z)); }

UNARY(cacos, cacos, cacosf)
UNARY(casin, casin, casinf)
UNARY(catan, catan, catanf)
UNARY(ccos, ccos, ccosf)
UNARY(csin, csin, csinf)
UNARY(ctan, ctan, ctanf)
UNARY(cacosh, cacosh, cacoshf)
UNARY(casinh, casinh, casinhf)
UNARY(catanh, catanh, catanhf)
UNARY(ccosh, ccosh, ccoshf)
UNARY(csinh, csinh, csinhf)
UNARY(ctanh, ctanh, ctanhf)
UNARY(cexp, cexp, cexpf)
UNARY(clog, clog, clogf)
UNARY(clog10, clog10_d, clog10_f)
UNARY(csqrt, csqrt, csqrtf)
UNARY(cproj, cproj, cprojf)
UNARY(conj, conj, conjf)

TO_REAL(cabs, cabs, cabsf)
TO_REAL(carg, carg, cargf)
TO_REAL(creal, creal, crealf)
TO_REAL(cimag, cimag, cimagf)
TO_REAL(norm, norm_d, norm_f)

Dc w_cpow(Dc x, Dc y) { return d_out(cpow(d_in(x), d_in(y))); }
Fc w_cpowf(Fc x, Fc y) { return f_out(cpowf(f_in(x), f_in(y))); }
Dc w_cpowl(Dc x, Dc y) { return d_out(cpow(d_in(x), d_in(y))); }

/* Microsoft's helpers for building and multiplying complex numbers without C99 syntax. */
Dc w__Cbuild(double re, double im) { Dc r = {{re, im}}; return r; }
Fc w__FCbuild(float re, float im) { Fc r = {{re, im}}; return r; }
Dc w__LCbuild(double re, double im) { Dc r = {{re, im}}; return r; }
Dc w__Cmulcc(Dc x, Dc y) {
    Dc r = {{x.v[0] * y.v[0] - x.v[1] * y.v[1], x.v[0] * y.v[1] + x.v[1] * y.v[0]}};
    return r;
}
Fc w__FCmulcc(Fc x, Fc y) {
    Fc r = {{x.v[0] * y.v[0] - x.v[1] * y.v[1], x.v[0] * y.v[1] + x.v[1] * y.v[0]}};
    return r;
}
Dc w__LCmulcc(Dc x, Dc y) { return w__Cmulcc(x, y); }
Dc w__Cmulcr(Dc x, double y) { Dc r = {{x.v[0] * y, x.v[1] * y}}; return r; }
Fc w__FCmulcr(Fc x, float y) { Fc r = {{x.v[0] * y, x.v[1] * y}}; return r; }
Dc w__LCmulcr(Dc x, double y) { return w__Cmulcr(x, y); }
