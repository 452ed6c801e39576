package org.switchboard.ivr.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.service.component.annotations.Component;
import org.switchboard.ivr.api.IvrAction;

/**
 * The built-in IVR action {@code echo}: says back the digits the caller keyed ("you entered 1 2 3
 * 4"), outcome {@code ok}. For technicians testing a line's keypad and for trying self-service
 * menus before the real action (CRM, ACD) is installed.
 */
@Component(property = IvrAction.NAME + "=echo")
public final class EchoAction implements IvrAction {

    @Override
    public CompletionStage<Result> run(Request request) {
        return CompletableFuture.completedFuture(new Result("ok", List.of(new Prompt("you-entered"), new Digits(request.digits()))));
    }
}
