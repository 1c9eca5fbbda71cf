package dev.genserve.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request is well-formed but would cost more work than one request may (n × steps × model cost over the budget):
 * 422, with the estimated cost, the budget and the setting that holds it.
 */
public class WorkBudgetExceededException extends ServiceException {

    private final double cost;
    private final double budget;
    private final String setting;

    public WorkBudgetExceededException(String message, double cost, double budget, String setting) {
        super(message);
        this.cost = cost;
        this.budget = budget;
        this.setting = setting;
    }

    @Override
    public int status() {
        return 422;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("reason", "work-budget-exceeded");
        p.put("cost", cost);
        p.put("budget", budget);
        p.put("setting", setting);
        return p;
    }
}
