package org.switchboard.ivr.api;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard: self-service behind a menu node (ticket status from the CRM, a balance, a callback
 * time...). Register with the service property {@value #NAME}; a menu node names it in
 * {@code collect.action}. The IVR collects the caller's digits, calls {@link #run}, says what the
 * result says, and continues with the node's {@code results} entry for the result's outcome. The
 * IVR does not know what actions exist; an action does not know menus.
 */
@ConsumerType
public interface IvrAction {

    /** The service property with the action's name, e.g. {@code ticket-status}. */
    String NAME = "ivr.action";

    /**
     * Runs the action. Must return at once; complete the stage within a few seconds (the caller is
     * waiting in silence): after 5 s the IVR continues with the outcome {@code timeout}.
     */
    CompletionStage<Result> run(Request request);

    /**
     * @param digits   what the caller keyed, without the terminator
     * @param language the caller's language (zh, en ...), for what to say
     */
    record Request(String callId, String callerNumber, String menu, String node, String digits, String language) {
    }

    /**
     * @param outcome the key of the node's {@code results} to continue with (e.g. ok, not-found)
     * @param say     what to say first, in order
     */
    record Result(String outcome, List<Say> say) {
        public Result {
            Objects.requireNonNull(outcome, "outcome");
            say = List.copyOf(say);
        }
    }

    /** Something the IVR says: a prompt, digits one by one, a whole number, a date. */
    sealed interface Say permits Prompt, Digits, Number, Date {
    }

    /** A prompt by name ({@code etc/prompts/LANG/NAME.wav}). */
    record Prompt(String name) implements Say {
    }

    /** Digits read one by one ("1 2 3 4"). */
    record Digits(String digits) implements Say {
    }

    /** A whole number from 0 to 99,999,999 ("one thousand two hundred", "一千二百"). */
    record Number(long value) implements Say {
    }

    /** A date ("November 23, 2026", "2026年11月23日"). */
    record Date(LocalDate date) implements Say {
    }
}
