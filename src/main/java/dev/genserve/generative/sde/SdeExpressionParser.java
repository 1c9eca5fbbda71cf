package dev.genserve.generative.sde;

/**
 * Recursive-descent parser for {@link SdeExpression}: expr := term (('+'|'-') term)*, term := unary ('*' unary)*,
 * unary := '-' unary | primary, primary := number | t | x | exp(expr) | sqrt(expr) | beta(number, number) | (expr).
 * Errors name the offending symbol and its 1-based position and list what is allowed. Input is bounded: at most
 * {@value #MAX_LENGTH} characters and {@value #MAX_DEPTH} levels of nesting (parentheses, functions, unary minus), so
 * that neither parsing nor evaluating can exhaust the stack.
 */
public final class SdeExpressionParser {

    /** The vocabulary, as shown in error messages. */
    public static final String ALLOWED =
            "numbers, t, x, +, -, *, exp(...), sqrt(...), beta(min,max), parentheses";

    /** The longest expression accepted, in characters. */
    public static final int MAX_LENGTH = 1000;

    /** The deepest nesting accepted (parentheses, exp/sqrt, unary minus). */
    public static final int MAX_DEPTH = 32;

    private final String text;
    private int pos;
    private int depth;

    private SdeExpressionParser(String text) {
        this.text = text.replace('−', '-').replace('×', '*');
    }

    /** Parses {@code text}; {@code role} ("drift" or "diffusion") prefixes error messages. */
    public static SdeExpression parse(String text, String role) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(role + " expression is empty; allowed: " + ALLOWED);
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(role + " expression is " + text.length() + " characters long; at most "
                    + MAX_LENGTH + " are accepted");
        }
        SdeExpressionParser parser = new SdeExpressionParser(text);
        SdeExpression e = parser.expression(role);
        parser.skipSpaces();
        if (parser.pos < parser.text.length()) {
            throw parser.error(role, "unexpected '" + parser.text.charAt(parser.pos) + "'");
        }
        return e;
    }

    private SdeExpression expression(String role) {
        enter(role);
        SdeExpression left = term(role);
        while (true) {
            skipSpaces();
            if (peek('+') || peek('-')) {
                char op = text.charAt(pos++);
                left = new SdeExpression.Binary(op, left, term(role));
            } else {
                depth--;
                return left;
            }
        }
    }

    private void enter(String role) {
        if (++depth > MAX_DEPTH) {
            throw error(role, "nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    private SdeExpression term(String role) {
        SdeExpression left = unary(role);
        while (true) {
            skipSpaces();
            if (peek('*')) {
                pos++;
                left = new SdeExpression.Binary('*', left, unary(role));
            } else {
                return left;
            }
        }
    }

    private SdeExpression unary(String role) {
        skipSpaces();
        if (peek('-')) {
            pos++;
            enter(role);
            SdeExpression negated = new SdeExpression.Unary("neg", unary(role));
            depth--;
            return negated;
        }
        return primary(role);
    }

    private SdeExpression primary(String role) {
        skipSpaces();
        if (pos >= text.length()) {
            throw error(role, "expression ends early");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            SdeExpression inner = expression(role);
            expect(role, ')');
            return inner;
        }
        if (Character.isDigit(c) || c == '.') {
            return new SdeExpression.Constant(number(role));
        }
        if (Character.isLetter(c)) {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String name = text.substring(start, pos);
            switch (name) {
                case "t":
                    return new SdeExpression.Time();
                case "x":
                    return new SdeExpression.State();
                case "exp":
                case "sqrt": {
                    expect(role, '(');
                    SdeExpression arg = expression(role);
                    expect(role, ')');
                    return new SdeExpression.Unary(name, arg);
                }
                case "beta": {
                    expect(role, '(');
                    double min = signedNumber(role);
                    expect(role, ',');
                    double max = signedNumber(role);
                    expect(role, ')');
                    return new SdeExpression.Beta(min, max);
                }
                default:
                    pos = start;
                    throw error(role, "unknown symbol '" + name + "'");
            }
        }
        throw error(role, "unknown symbol '" + c + "'");
    }

    private double signedNumber(String role) {
        skipSpaces();
        boolean negative = false;
        if (peek('-')) {
            negative = true;
            pos++;
            skipSpaces();
        }
        if (pos >= text.length() || !(Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            throw error(role, "beta(min,max) takes two numbers");
        }
        double v = number(role);
        return negative ? -v : v;
    }

    private double number(String role) {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (digits == pos) {
                pos = save;
            }
        }
        try {
            return Double.parseDouble(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error(role, "malformed number '" + text.substring(start, Math.max(start + 1, pos)) + "'");
        }
    }

    private void expect(String role, char c) {
        skipSpaces();
        if (!peek(c)) {
            throw error(role, pos < text.length() ? "expected '" + c + "' but found '" + text.charAt(pos) + "'"
                    : "expected '" + c + "' but the expression ends");
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String role, String what) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return new IllegalArgumentException(role + " expression '" + shown + "': " + what + " at position "
                + (pos + 1) + "; allowed: " + ALLOWED);
    }
}
