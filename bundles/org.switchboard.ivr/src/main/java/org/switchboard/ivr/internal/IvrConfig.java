package org.switchboard.ivr.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = "org.switchboard.ivr", name = "Switchboard IVR")
public @interface IvrConfig {

    @AttributeDefinition(description = "The menu files, one tree per NAME.yaml; relative to the Karaf home")
    String menus_directory() default "etc/ivr";

    @AttributeDefinition(description = "The prompts, as LANG/NAME.wav (8 kHz); relative to the Karaf home")
    String prompts_directory() default "etc/prompts";

    @AttributeDefinition(description = "The language of message: destinations and of callers coming from outside a menu")
    String language() default "zh";

    @AttributeDefinition(description = "Where callers in menus go when the IVR is stopped or a menu is missing (a destination)")
    String fallback() default "reject:NORMAL_TEMPORARY_FAILURE";
}
