//! Customer import: auto references (each convention, mask, collisions, short names, overflow),
//! match fields, create vs update, field limits.
use zynk::ledger::{CustomerImportOptions, MatchField, ReferenceConvention};
use zynk::state::TRUTH_CUSTOMER;

use crate::ledger::common::{Env, TestResult, WORKFLOW, customer};

fn refs(out: &crate::ledger::common::Outcome) -> Vec<String> {
    out.success
        .iter()
        .map(|n| n.text_of("AccountReference").unwrap_or("").to_string())
        .collect()
}

fn person(id: &str, company: &str, title: &str, forename: &str, surname: &str) -> String {
    let company = if company.is_empty() {
        String::new()
    } else {
        format!("<CompanyName>{company}</CompanyName>")
    };
    format!(
        "<Customer><Id>{id}</Id>{company}<CustomerInvoiceAddress><Title>{title}</Title><Forename>{forename}</Forename><Surname>{surname}</Surname></CustomerInvoiceAddress></Customer>"
    )
}

#[test]
fn zynk_software_then_zynk_ltd_collide_to_zyn001_and_zyn002() -> TestResult {
    let mut env = Env::new()?;
    let input = env.write(
        "c.xml",
        &format!(
            "<Customers>{}{}</Customers>",
            customer("1", "Zynk Software", ""),
            customer("2", "Zynk Ltd", "")
        ),
    )?;
    let out = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(refs(&out), ["ZYN001", "ZYN002"]);
    assert_eq!(
        env.state
            .truth_lookup(WORKFLOW, TRUTH_CUSTOMER, "2")?
            .as_deref(),
        Some("ZYN002")
    );
    // Same Ids again: the truth table gives the same references, nothing new is created.
    let again = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(refs(&again), ["ZYN001", "ZYN002"]);
    assert_eq!(env.ledger.customers()?.len(), 2);
    // A third company takes the lowest free number.
    let third = env.write(
        "c3.xml",
        &format!("<Customers>{}</Customers>", customer("3", "Zynkers", "")),
    )?;
    assert_eq!(
        refs(&env.customers(&third, &CustomerImportOptions::default())?),
        ["ZYN003"]
    );
    Ok(())
}

#[test]
fn each_convention_picks_its_source_text() -> TestResult {
    let cases = [
        (
            ReferenceConvention::CompanyOtherwiseFullname,
            "ACM001",
            "MRJ001",
        ),
        (
            ReferenceConvention::CompanyOtherwiseForenameSurname,
            "ACM001",
            "JOH001",
        ),
        (
            ReferenceConvention::CompanyOtherwiseSurnameForename,
            "ACM001",
            "SMI001",
        ),
        (ReferenceConvention::ForenameSurname, "JOH001", "JOH001"),
        (ReferenceConvention::SurnameForename, "SMI001", "SMI001"),
    ];
    for (convention, with_company, without) in cases {
        let mut env = Env::new()?;
        let input = env.write(
            "c.xml",
            &format!(
                "<Customers>{}</Customers>",
                person("1", "Acme", "Mr", "John", "Smith")
            ),
        )?;
        let opts = CustomerImportOptions {
            reference_convention: convention,
            ..Default::default()
        };
        assert_eq!(
            refs(&env.customers(&input, &opts)?),
            [with_company],
            "{convention:?}"
        );
        let mut env = Env::new()?;
        let input = env.write(
            "c.xml",
            &format!(
                "<Customers>{}</Customers>",
                person("1", "", "Mr", "John", "Smith")
            ),
        )?;
        assert_eq!(
            refs(&env.customers(&input, &opts)?),
            [without],
            "{convention:?}"
        );
    }
    Ok(())
}

#[test]
fn lengths_mask_and_short_names() -> TestResult {
    let mut env = Env::new()?;
    let input = env.write(
        "c.xml",
        &format!(
            "<Customers>{}</Customers>",
            customer("1", "Internetware", "")
        ),
    )?;
    let four = CustomerImportOptions {
        alpha_length: 4,
        numeric_length: 3,
        ..Default::default()
    };
    assert_eq!(
        refs(&env.customers(&input, &four)?),
        ["INTE001"],
        "the sample's INTE001 is 4 + 3"
    );

    let mut env = Env::new()?;
    let masked = CustomerImportOptions {
        mask: "Z-".into(),
        ..Default::default()
    };
    assert_eq!(
        refs(&env.customers(&input, &masked)?),
        ["Z-INT001"],
        "a mask without ? is a prefix"
    );

    let mut env = Env::new()?;
    let masked = CustomerImportOptions {
        mask: "???-???".into(),
        ..Default::default()
    };
    assert_eq!(refs(&env.customers(&input, &masked)?), ["INT-001"]);

    let mut env = Env::new()?;
    let web = CustomerImportOptions {
        mask: "WEB???".into(),
        alpha_length: 0,
        ..Default::default()
    };
    let two = env.write(
        "c2.xml",
        &format!(
            "<Customers>{}{}</Customers>",
            customer("1", "Internetware", ""),
            customer("2", "Acme", "")
        ),
    )?;
    assert_eq!(refs(&env.customers(&two, &web)?), ["WEB001", "WEB002"]);

    let mut env = Env::new()?;
    let short = env.write(
        "s.xml",
        &format!("<Customers>{}</Customers>", customer("1", "O2", "")),
    )?;
    assert_eq!(
        refs(&env.customers(&short, &CustomerImportOptions::default())?),
        ["OXX001"]
    );
    Ok(())
}

#[test]
fn counter_overflow_and_too_long_references_fail_the_record() -> TestResult {
    let mut env = Env::new()?;
    let body: String = (1..=10)
        .map(|i| customer(&i.to_string(), "Acme", ""))
        .collect();
    let input = env.write("c.xml", &format!("<Customers>{body}</Customers>"))?;
    let one_digit = CustomerImportOptions {
        numeric_length: 1,
        ..Default::default()
    };
    let out = env.customers(&input, &one_digit)?;
    assert_eq!((out.report.succeeded, out.report.failed), (9, 1));
    assert_eq!(refs(&out).last().map(String::as_str), Some("ACM9"));
    assert!(
        out.error(0).contains("all 9 numbers are taken"),
        "{}",
        out.error(0)
    );
    assert_eq!(out.fail[0].text_of("Id"), Some("10"));

    let mut env = Env::new()?;
    let long = CustomerImportOptions {
        alpha_length: 6,
        numeric_length: 3,
        ..Default::default()
    };
    let input = env.write(
        "c.xml",
        &format!(
            "<Customers>{}</Customers>",
            customer("1", "Acme Widgets", "")
        ),
    )?;
    let out = env.customers(&input, &long)?;
    assert_eq!(out.report.failed, 1);
    assert!(out.error(0).contains("longer than 8"), "{}", out.error(0));
    assert!(env.ledger.customers()?.is_empty());
    Ok(())
}

#[test]
fn given_references_are_checked_and_auto_reference_off_fails() -> TestResult {
    let mut env = Env::new()?;
    let input = env.write(
        "c.xml",
        &format!(
            "<Customers>{}{}{}</Customers>",
            customer("1", "Acme", "<AccountReference>acme01</AccountReference>"),
            customer(
                "2",
                "Bad",
                "<AccountReference>TOOLONGREF</AccountReference>"
            ),
            customer("3", "Spaces", "<AccountReference>A B</AccountReference>")
        ),
    )?;
    let out = env.customers(&input, &CustomerImportOptions::default())?;
    assert_eq!(refs(&out), ["ACME01"]);
    assert_eq!(out.report.failed, 2);
    assert!(out.error(0).contains("longer than 8"));
    assert!(out.error(1).contains("does not allow"));

    let mut env = Env::new()?;
    let input = env.write(
        "c.xml",
        &format!("<Customers>{}</Customers>", customer("1", "Acme", "")),
    )?;
    let off = CustomerImportOptions {
        auto_reference: false,
        ..Default::default()
    };
    let out = env.customers(&input, &off)?;
    assert_eq!(out.report.failed, 1);
    assert!(out.error(0).starts_with("no account reference"));
    Ok(())
}

#[test]
fn match_fields_reuse_an_account_only_when_all_fields_match() -> TestResult {
    let mut env = Env::new()?;
    let first = env.write(
        "a.xml",
        &format!("<Customers>{}</Customers>", customer("1", "Acme", "")),
    )?;
    env.customers(&first, &CustomerImportOptions::default())?;
    let opts = CustomerImportOptions {
        match_fields: vec![MatchField::CompanyName, MatchField::Postcode],
        ..Default::default()
    };
    let same = env.write(
        "b.xml",
        &format!("<Customers>{}</Customers>", customer("9", "ACME", "")),
    )?;
    assert_eq!(refs(&env.customers(&same, &opts)?), ["ACM001"]);
    let other = env.write(
        "c.xml",
        "<Customers><Customer><Id>10</Id><CompanyName>Acme</CompanyName><CustomerInvoiceAddress><Postcode>NE1 1AA</Postcode></CustomerInvoiceAddress></Customer></Customers>",
    )?;
    assert_eq!(refs(&env.customers(&other, &opts)?), ["ACM002"]);
    Ok(())
}

#[test]
fn updates_keep_currency_and_opening_date_and_cut_long_text() -> TestResult {
    let mut env = Env::new()?;
    let create = env.write(
        "a.xml",
        &format!(
            "<Customers>{}</Customers>",
            customer(
                "1",
                "Acme",
                "<Currency>EUR</Currency><AccountOpened>2020-05-01T00:00:00</AccountOpened>"
            )
        ),
    )?;
    env.customers(&create, &CustomerImportOptions::default())?;
    let long_name = "B".repeat(70);
    let update = env.write(
        "b.xml",
        &format!(
            "<Customers>{}</Customers>",
            customer(
                "1",
                &long_name,
                "<Currency>USD</Currency><AccountOpened>2024-01-01T00:00:00</AccountOpened>"
            )
        ),
    )?;
    let out = env.customers(&update, &CustomerImportOptions::default())?;
    assert_eq!(out.report.succeeded, 1);
    assert_eq!(out.report.warnings.len(), 1, "{:?}", out.report.warnings);
    assert!(out.report.warnings[0].contains("cut to 60"));
    let row = env.ledger.customer("ACM001")?.ok_or("missing")?;
    assert_eq!(row.name.len(), 60);
    assert_eq!(row.currency, "EUR");
    assert_eq!(row.date_account_opened, "2020-05-01");
    Ok(())
}

#[test]
fn create_only_leaves_an_existing_account_alone() -> TestResult {
    let mut env = Env::new()?;
    let create = env.write(
        "a.xml",
        &format!("<Customers>{}</Customers>", customer("1", "Acme", "")),
    )?;
    env.customers(&create, &CustomerImportOptions::default())?;
    let update = env.write(
        "b.xml",
        &format!(
            "<Customers>{}</Customers>",
            customer("1", "Renamed", "<CreateOnly>true</CreateOnly>")
        ),
    )?;
    let out = env.customers(&update, &CustomerImportOptions::default())?;
    assert_eq!(out.report.succeeded, 1);
    assert_eq!(
        env.ledger.customer("ACM001")?.map(|c| c.name),
        Some("Acme".to_string())
    );
    Ok(())
}

#[test]
fn multiple_delivery_addresses_adds_each_new_address_once() -> TestResult {
    let mut env = Env::new()?;
    let delivery = |town: &str| {
        format!(
            "<CustomerDeliveryAddress><Company>Acme Stores</Company><Address1>2 Low St</Address1><Town>{town}</Town></CustomerDeliveryAddress>"
        )
    };
    let opts = CustomerImportOptions {
        multiple_delivery_addresses: true,
        ..Default::default()
    };
    for town in ["York", "York", "Hull"] {
        let input = env.write(
            "a.xml",
            &format!(
                "<Customers>{}</Customers>",
                customer("1", "Acme", &delivery(town))
            ),
        )?;
        assert_eq!(env.customers(&input, &opts)?.report.succeeded, 1);
    }
    assert_eq!(env.ledger.delivery_addresses("ACM001")?.len(), 2);
    assert_eq!(
        env.ledger
            .customer("ACM001")?
            .and_then(|c| c.del_address[2].clone()),
        Some("Hull".into())
    );
    Ok(())
}
