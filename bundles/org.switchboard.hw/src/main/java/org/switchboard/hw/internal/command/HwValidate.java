package org.switchboard.hw.internal.command;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.switchboard.hw.api.HardwareProfile;
import org.switchboard.hw.internal.HardwareProfiles;

@Service
@Command(scope = "hw", name = "validate", description = "Checks a hardware profile file without applying it, and lists every problem")
public class HwValidate implements Action {

    @Reference
    HardwareProfiles profiles;

    @Argument(index = 0, name = "FILE", required = true, description = "The profile file; relative paths are under the appliance's home")
    @Completion(FileCompleter.class)
    String file;

    @Override
    public Object execute() throws CommandException {
        Path path = Path.of(file);
        if (!path.isAbsolute()) {
            path = Path.of(System.getProperty("karaf.base", ".")).resolve(path);
        }
        var result = profiles.validate(path);
        if (result.problems().isEmpty()) {
            HardwareProfile p = result.profile();
            System.out.println(file + ": valid profile '" + p.name() + "': " + Summary.of(p));
            return null;
        }
        result.problems().forEach(System.out::println);
        throw new CommandException(file + ": " + result.problems().size() + " problem(s); the profile cannot be applied");
    }
}
