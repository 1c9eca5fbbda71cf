package dev.genserve.generative.sde;

import ai.djl.ndarray.NDArray;

/**
 * A small typed expression of the state x (element-wise) and the time t, used to compose SDEs. Vocabulary:
 * numeric constants, t, x, +, −, ×, exp(·), sqrt(·) (added because a diffusion usually needs √β) and the linear
 * schedule beta(min,max) = min + t·(max − min). Parse with {@link SdeExpressionParser#parse}.
 */
public sealed interface SdeExpression {

    /** True if the value depends on x (then it is an array, otherwise a scalar of t). */
    boolean dependsOnX();

    /** The value as a function of t alone; only for expressions that do not depend on x. */
    double scalar(double t);

    /** The value element-wise on x (same shape as x, attached to x's manager). */
    default NDArray array(NDArray x, double t) {
        return dependsOnX() ? arrayOf(x, t) : x.zerosLike().add((float) scalar(t));
    }

    /** The array value; only called when {@link #dependsOnX()} is true. */
    NDArray arrayOf(NDArray x, double t);

    /** A numeric constant. */
    record Constant(double value) implements SdeExpression {
        public boolean dependsOnX() {
            return false;
        }

        public double scalar(double t) {
            return value;
        }

        public NDArray arrayOf(NDArray x, double t) {
            throw new IllegalStateException("constant");
        }

        @Override
        public String toString() {
            return Double.toString(value);
        }
    }

    /** The time t. */
    record Time() implements SdeExpression {
        public boolean dependsOnX() {
            return false;
        }

        public double scalar(double t) {
            return t;
        }

        public NDArray arrayOf(NDArray x, double t) {
            throw new IllegalStateException("time");
        }

        @Override
        public String toString() {
            return "t";
        }
    }

    /** The state x, element-wise. */
    record State() implements SdeExpression {
        public boolean dependsOnX() {
            return true;
        }

        public double scalar(double t) {
            throw new IllegalStateException("x is not a scalar of t");
        }

        public NDArray arrayOf(NDArray x, double t) {
            return x.duplicate();
        }

        @Override
        public String toString() {
            return "x";
        }
    }

    /** The linear schedule β(t) = min + t·(max − min). */
    record Beta(double min, double max) implements SdeExpression {
        public boolean dependsOnX() {
            return false;
        }

        public double scalar(double t) {
            return min + t * (max - min);
        }

        public NDArray arrayOf(NDArray x, double t) {
            throw new IllegalStateException("beta");
        }

        @Override
        public String toString() {
            return "beta(" + min + "," + max + ")";
        }
    }

    /** Unary functions: negation, exp, sqrt. */
    record Unary(String op, SdeExpression arg) implements SdeExpression {
        public boolean dependsOnX() {
            return arg.dependsOnX();
        }

        public double scalar(double t) {
            double v = arg.scalar(t);
            return switch (op) {
                case "neg" -> -v;
                case "exp" -> Math.exp(v);
                case "sqrt" -> Math.sqrt(v);
                default -> throw new IllegalStateException(op);
            };
        }

        public NDArray arrayOf(NDArray x, double t) {
            NDArray v = arg.arrayOf(x, t);
            return switch (op) {
                case "neg" -> v.neg();
                case "exp" -> v.exp();
                case "sqrt" -> v.sqrt();
                default -> throw new IllegalStateException(op);
            };
        }

        @Override
        public String toString() {
            return op.equals("neg") ? "-(" + arg + ")" : op + "(" + arg + ")";
        }
    }

    /** Binary operators: +, −, ×. */
    record Binary(char op, SdeExpression left, SdeExpression right) implements SdeExpression {
        public boolean dependsOnX() {
            return left.dependsOnX() || right.dependsOnX();
        }

        public double scalar(double t) {
            double a = left.scalar(t);
            double b = right.scalar(t);
            return switch (op) {
                case '+' -> a + b;
                case '-' -> a - b;
                case '*' -> a * b;
                default -> throw new IllegalStateException(String.valueOf(op));
            };
        }

        public NDArray arrayOf(NDArray x, double t) {
            if (!left.dependsOnX()) {
                float a = (float) left.scalar(t);
                NDArray b = right.arrayOf(x, t);
                return switch (op) {
                    case '+' -> b.add(a);
                    case '-' -> b.neg().add(a);
                    case '*' -> b.mul(a);
                    default -> throw new IllegalStateException(String.valueOf(op));
                };
            }
            NDArray a = left.arrayOf(x, t);
            if (!right.dependsOnX()) {
                float b = (float) right.scalar(t);
                return switch (op) {
                    case '+' -> a.add(b);
                    case '-' -> a.sub(b);
                    case '*' -> a.mul(b);
                    default -> throw new IllegalStateException(String.valueOf(op));
                };
            }
            NDArray b = right.arrayOf(x, t);
            return switch (op) {
                case '+' -> a.add(b);
                case '-' -> a.sub(b);
                case '*' -> a.mul(b);
                default -> throw new IllegalStateException(String.valueOf(op));
            };
        }

        @Override
        public String toString() {
            return "(" + left + " " + op + " " + right + ")";
        }
    }
}
