package org.switchboard.ivr.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.switchboard.core.api.DigitRequest;
import org.switchboard.core.route.Destination;

/**
 * Where one caller is in one menu, and what comes next. Pure logic, no I/O: the IVR drives it
 * with what the caller pressed (or did not), {@code ivr:walk} with a script, the tests with both.
 */
final class MenuMachine {

    /** What the IVR does next. */
    sealed interface Step permits Prompt, Leave, Hangup, RunAction {
    }

    /** Hand the digits to the IVR action; then call {@link #actionDone}. */
    record RunAction(String action, String digits) implements Step {
    }

    /**
     * Play these prompts (in this language), then collect keys when {@code collect} is set, else
     * call {@link #afterPrompt()}.
     */
    record Prompt(List<String> prompts, String language, boolean bargeIn, DigitRequest collect) implements Step {
    }

    /** The caller leaves this menu for a destination (another menu, a queue, an extension ...). */
    record Leave(Destination destination, String why) implements Step {
    }

    /** The IVR hangs up. */
    record Hangup(String why) implements Step {
    }

    /** Transitions without any input from the caller before the machine gives up (a loop). */
    static final int MAX_AUTOMATIC = 16;

    private final Menu menu;
    private String language;
    private Menu.Node node;
    private int failures;
    private int automatic;
    private final Deque<String> history = new ArrayDeque<>();

    MenuMachine(Menu menu, String language) {
        this.menu = menu;
        this.language = language == null || !menu.languages().contains(language) ? menu.language() : language;
    }

    Step start() {
        return enter(menu.nodes().get(menu.start()), List.of());
    }

    /** What the caller pressed; "" when nothing came in time. */
    Step input(String digits) {
        automatic = 0;
        if (digits.isEmpty()) {
            return failure(node.noInputPrompt(), "no input");
        }
        Menu.Collect c = node.collect();
        if (c != null) {
            if (digits.length() < c.min() || !digits.chars().allMatch(Character::isDigit)) {
                return failure(node.invalidPrompt(), "digits '" + digits + "' (" + c.min() + " to " + c.max() + " wanted)");
            }
            return new RunAction(c.action(), digits);
        }
        if (digits.length() == 1 && node.options().containsKey(digits.charAt(0))) {
            return act(node.options().get(digits.charAt(0)), "key " + digits);
        }
        if (node.directDial() > 0 && digits.length() == node.directDial() && digits.chars().allMatch(Character::isDigit)) {
            return new Leave(new Destination("extension", digits), "dialled extension " + digits + " in " + where());
        }
        return failure(node.invalidPrompt(), "invalid key(s) " + digits);
    }

    /** The prompts of a node without keys to collect (or what an action said) have ended. */
    Step afterPrompt() {
        if (++automatic > MAX_AUTOMATIC) {
            return new Hangup("more than " + MAX_AUTOMATIC + " steps without waiting for the caller in " + where());
        }
        if (afterSay != null) {
            Menu.Action a = afterSay;
            afterSay = null;
            return act(a, afterSayWhy);
        }
        return act(node.then() == null ? new Menu.Action(Menu.Action.Kind.HANGUP, "", null) : node.then(), "end of prompts");
    }

    private Menu.Action afterSay;
    private String afterSayWhy;

    /**
     * The action answered: say {@code say} (prompt names), then go on with the node's result for
     * {@code outcome} (or its {@code default}, or its failed action).
     */
    Step actionDone(String outcome, List<String> say) {
        Menu.Action next = node.results().get(outcome);
        if (next == null) {
            next = node.results().getOrDefault("default", node.failed());
        }
        afterSay = next;
        afterSayWhy = "action " + node.collect().action() + " said " + outcome;
        return new Prompt(List.copyOf(say), language, false, null);
    }

    String node() {
        return node.name();
    }

    String language() {
        return language;
    }

    Menu menu() {
        return menu;
    }

    private String where() {
        return "menu " + menu.name() + " node " + node.name();
    }

    private Step failure(String prompt, String what) {
        failures++;
        if (failures >= node.retries()) {
            return act(node.failed(), what + ", try " + failures + " of " + node.retries());
        }
        List<String> before = prompt.isEmpty() ? List.of() : List.of(prompt);
        return prompt(node, before);
    }

    private Step act(Menu.Action a, String why) {
        switch (a.kind()) {
            case NODE -> {
                history.push(node.name());
                return enter(menu.nodes().get(a.value()), List.of());
            }
            case REPEAT -> {
                return enter(node, List.of());
            }
            case BACK -> {
                return enter(history.isEmpty() ? node : menu.nodes().get(history.pop()), List.of());
            }
            case LANGUAGE -> {
                language = a.value();
                return enter(node, List.of());
            }
            case DESTINATION -> {
                return new Leave(a.destination(), why + " in " + where());
            }
            default -> {
                return new Hangup(why + " in " + where());
            }
        }
    }

    private Step enter(Menu.Node n, List<String> before) {
        if (n != node) {
            failures = 0;
        }
        node = n;
        return prompt(n, before);
    }

    private Step prompt(Menu.Node n, List<String> before) {
        List<String> all = new ArrayList<>(before);
        all.addAll(n.prompts());
        DigitRequest collect = null;
        if (n.collect() != null) {
            collect = new DigitRequest(n.collect().max(), n.collect().terminator(), Duration.ofMillis(n.timeoutMs()),
                    Duration.ofMillis(n.interDigitMs()));
        } else if (n.collects()) {
            collect = new DigitRequest(Math.max(1, n.directDial()), "", Duration.ofMillis(n.timeoutMs()), Duration.ofMillis(n.interDigitMs()));
        }
        return new Prompt(List.copyOf(all), language, n.bargeIn(), collect);
    }
}
