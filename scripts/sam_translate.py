"""Transforms deploy/template.yaml with aws-sam-translator (pinned in .venv) and prints the result.

Usage: sam_translate.py TEMPLATE [Name=Value ...] [--policies [--physical LogicalId[.Attribute]=Value ...]]
Prints the CloudFormation template SAM would deploy (the code as if `sam deploy` had uploaded it), as JSON, or exits 1 with the translator's
errors. Used by the tests to check that the template transforms for every combination of flows,
and what roles the transform produces.

With --policies it prints instead, for each function, the statements of its role as IAM would
read them once CloudFormation has resolved them: parameters (given or default), conditions,
Fn::If, Fn::Sub, Fn::Join, Ref and Fn::GetAtt (each resource's physical id and attributes as
--physical names them, e.g. KeyTable=keys-1 RotationQueue.Arn=arn:aws:sqs:...), pseudo parameters
for account 123456789012 in us-east-1. {"SweepFunction": {"statements": [...], "managedPolicyArns": [...]}}.

With --rules it prints what CloudFormation's Rules decide for the parameters:
{"OriginFlowNeedsDistributions": {"applies": true, "failed": ["<AssertDescription>", ...]}}.
"""
import json
import os
import sys

from cfnlint.decode import decode
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.translator.transform import transform

PSEUDO = {"AWS::Partition": "aws", "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::URLSuffix": "amazonaws.com"}
NO_VALUE = object()


class NoManagedPolicies:
    """The template names managed policies by ARN only; nothing needs looking up."""

    def load(self):
        return {}


class Resolver:
    """CloudFormation's intrinsic functions, for one set of parameters and physical ids."""

    def __init__(self, template, parameters, physical):
        self.conditions = template.get("Conditions", {})
        self.values = dict(PSEUDO)
        for name, definition in template.get("Parameters", {}).items():
            value = parameters.get(name, definition.get("Default", ""))
            if definition.get("Type") == "CommaDelimitedList":
                value = [item for item in str(value).split(",")] if value != "" else [""]
            self.values[name] = value
        self.physical = physical
        self.evaluated = {}

    def condition(self, name):
        if name not in self.evaluated:
            self.evaluated[name] = bool(self.resolve(self.conditions[name]))
        return self.evaluated[name]

    def ref(self, name):
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.values:
            return self.values[name]
        if name in self.physical:
            return self.physical[name]
        raise SystemExit(f"--policies: no physical id for Ref {name}: give --physical {name}=...")

    def resolve(self, node):
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Fn::GetAtt":
                name = ".".join(arg) if isinstance(arg, list) else arg
                if name not in self.physical:
                    raise SystemExit(f"--policies: no value for Fn::GetAtt {name}: give --physical {name}=...")
                return self.physical[name]
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::Equals":
                a, b = (self.resolve(x) for x in arg)
                return str(a) == str(b)
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(x) for x in arg)
            if key == "Fn::Or":
                return any(self.resolve(x) for x in arg)
            if key == "Fn::Contains":  # Rules only: [list, value]
                values, value = self.resolve(arg[0]), self.resolve(arg[1])
                return value in values
            if key == "Fn::Join":
                return arg[0].join(str(x) for x in self.resolve(arg[1]))
            if key == "Fn::Sub":
                text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
                local = {name: self.resolve(value) for name, value in variables.items()}
                return self.substitute(text, local)
        return {key: value for key, value in ((k, self.resolve(v)) for k, v in node.items()) if value is not NO_VALUE}

    def substitute(self, text, local):
        out, rest = "", text
        while "${" in rest:
            before, _, after = rest.partition("${")
            name, _, rest = after.partition("}")
            out += before
            if name in local:
                out += str(local[name])
            elif "." in name and name.split(".")[0] not in PSEUDO:
                out += str(self.resolve({"Fn::GetAtt": name}))
            else:
                out += str(self.ref(name))
        return out + rest


def policies(output, template, parameters, physical):
    resolver = Resolver(output, parameters, physical)
    result = {}
    for name, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        if "Condition" in resource and not resolver.condition(resource["Condition"]):
            continue
        role = output["Resources"][f"{name}Role"]["Properties"]
        statements = []
        for policy in role.get("Policies", []):
            for statement in resolver.resolve(policy["PolicyDocument"]["Statement"]):
                for field in ("Action", "Resource"):
                    if isinstance(statement.get(field), str):
                        statement[field] = [statement[field]]
                statements.append(statement)
        result[name] = {"statements": statements, "managedPolicyArns": resolver.resolve(role.get("ManagedPolicyArns", []))}
    return result


def rules(template, parameters):
    resolver = Resolver(template, parameters, {})
    result = {}
    for name, rule in template.get("Rules", {}).items():
        applies = bool(resolver.resolve(rule["RuleCondition"])) if "RuleCondition" in rule else True
        failed = [a.get("AssertDescription", "") for a in rule.get("Assertions", []) if applies and not resolver.resolve(a["Assert"])]
        result[name] = {"applies": applies, "failed": failed}
    return result


def main():
    arguments = sys.argv[2:]
    want_policies = "--policies" in arguments
    want_rules = "--rules" in arguments
    physical, parameters, index = {}, {}, 0
    while index < len(arguments):
        argument = arguments[index]
        if argument == "--physical":
            name, _, value = arguments[index + 1].partition("=")
            physical[name] = value
            index += 2
            continue
        if argument not in ("--policies", "--rules"):
            name, _, value = argument.partition("=")
            parameters[name] = value
        index += 1
    template, matches = decode(sys.argv[1])
    if matches:
        raise SystemExit(f"cannot read {sys.argv[1]}: {matches}")
    # What `sam deploy` does first: upload the local CodeUri and point the functions at the copy.
    template["Globals"]["Function"]["CodeUri"] = "s3://keyrotator-artifacts/bootstrap.zip"
    # SAM reads the region for its pseudo parameters from a boto3 session; no account is needed.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        output = transform(template, parameters, NoManagedPolicies())
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(cause.message, file=sys.stderr)
        sys.exit(1)
    if want_rules:
        original, _ = decode(sys.argv[1])
        print(json.dumps(rules(original, parameters)))
    elif want_policies:
        original, _ = decode(sys.argv[1])
        print(json.dumps(policies(output, original, parameters, physical), default=str))
    else:
        print(json.dumps(output, default=str))


if __name__ == "__main__":
    main()
