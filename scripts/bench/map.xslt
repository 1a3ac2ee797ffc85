<?xml version="1.0" encoding="UTF-8"?>
<!-- The XSLT 1.0 equivalent of scripts/maps/shopify.zynk: Shopify order XML into Connect XML
     customers and sales orders. Used by scripts/bench/map to compare with xsltproc. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <xsl:output method="xml" encoding="utf-8" indent="yes"/>

  <xsl:template match="/">
    <Company>
      <Customers>
        <xsl:apply-templates select="/orders/order" mode="customer"/>
      </Customers>
      <SalesOrders>
        <xsl:apply-templates select="/orders/order" mode="order"/>
      </SalesOrders>
    </Company>
  </xsl:template>

  <!-- "Target" = `value` if not empty -->
  <xsl:template name="if-not-empty">
    <xsl:param name="name"/>
    <xsl:param name="value"/>
    <xsl:if test="string($value) != ''">
      <xsl:element name="{$name}"><xsl:value-of select="$value"/></xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template match="order" mode="customer">
    <Customer>
      <Id><xsl:value-of select="customer/id"/></Id>
      <xsl:call-template name="if-not-empty">
        <xsl:with-param name="name">CompanyName</xsl:with-param>
        <xsl:with-param name="value" select="string(billing-address/company)"/>
      </xsl:call-template>
      <xsl:call-template name="if-not-empty">
        <xsl:with-param name="name">AccountReference</xsl:with-param>
        <xsl:with-param name="value" select="string(customer/note)"/>
      </xsl:call-template>
      <Currency>
        <xsl:choose>
          <xsl:when test="string(currency) != ''"><xsl:value-of select="currency"/></xsl:when>
          <xsl:otherwise>GBP</xsl:otherwise>
        </xsl:choose>
      </Currency>
      <CustomerInvoiceAddress>
        <Forename><xsl:value-of select="billing-address/first-name"/></Forename>
        <Surname><xsl:value-of select="billing-address/last-name"/></Surname>
        <Address1><xsl:value-of select="billing-address/address1"/></Address1>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">Address2</xsl:with-param>
          <xsl:with-param name="value" select="string(billing-address/address2)"/>
        </xsl:call-template>
        <Town><xsl:value-of select="billing-address/city"/></Town>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">County</xsl:with-param>
          <xsl:with-param name="value" select="string(billing-address/province)"/>
        </xsl:call-template>
        <Postcode><xsl:value-of select="billing-address/zip"/></Postcode>
        <Country><xsl:value-of select="billing-address/country-code"/></Country>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">Telephone</xsl:with-param>
          <xsl:with-param name="value" select="string(billing-address/phone)"/>
        </xsl:call-template>
        <Email><xsl:value-of select="email"/></Email>
      </CustomerInvoiceAddress>
    </Customer>
  </xsl:template>

  <xsl:template match="order" mode="order">
    <SalesOrder>
      <Id><xsl:value-of select="id"/></Id>
      <CustomerId><xsl:value-of select="customer/id"/></CustomerId>
      <xsl:call-template name="if-not-empty">
        <xsl:with-param name="name">AccountReference</xsl:with-param>
        <xsl:with-param name="value" select="string(customer/note)"/>
      </xsl:call-template>
      <CustomerOrderNumber><xsl:value-of select="name"/></CustomerOrderNumber>
      <SalesOrderDate><xsl:value-of select="created-at"/></SalesOrderDate>
      <Currency>
        <xsl:choose>
          <xsl:when test="string(currency) != ''"><xsl:value-of select="currency"/></xsl:when>
          <xsl:otherwise>GBP</xsl:otherwise>
        </xsl:choose>
      </Currency>
      <xsl:if test="string-length(note) &gt; 0">
        <Notes1><xsl:value-of select="note"/></Notes1>
      </xsl:if>
      <TakenBy>Shopify</TakenBy>
      <SalesOrderAddress>
        <xsl:apply-templates select="billing-address" mode="contact">
          <xsl:with-param name="email" select="string(email)"/>
        </xsl:apply-templates>
      </SalesOrderAddress>
      <SalesOrderDeliveryAddress>
        <Forename><xsl:value-of select="shipping-address/first-name"/></Forename>
        <Surname><xsl:value-of select="shipping-address/last-name"/></Surname>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">Company</xsl:with-param>
          <xsl:with-param name="value" select="string(shipping-address/company)"/>
        </xsl:call-template>
        <Address1><xsl:value-of select="shipping-address/address1"/></Address1>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">Address2</xsl:with-param>
          <xsl:with-param name="value" select="string(shipping-address/address2)"/>
        </xsl:call-template>
        <Town><xsl:value-of select="shipping-address/city"/></Town>
        <Postcode><xsl:value-of select="shipping-address/zip"/></Postcode>
        <Country><xsl:value-of select="shipping-address/country-code"/></Country>
      </SalesOrderDeliveryAddress>
      <SalesOrderItems>
        <xsl:for-each select="line-items/line-item">
          <Item>
            <Id><xsl:value-of select="id"/></Id>
            <Sku>
              <xsl:choose>
                <xsl:when test="string(sku) != ''"><xsl:value-of select="sku"/></xsl:when>
                <xsl:otherwise>S1</xsl:otherwise>
              </xsl:choose>
            </Sku>
            <Name><xsl:value-of select="title"/></Name>
            <xsl:if test="variant-title != ''">
              <Description><xsl:value-of select="concat(title, ' (', variant-title, ')')"/></Description>
            </xsl:if>
            <QtyOrdered><xsl:value-of select="quantity"/></QtyOrdered>
            <UnitPrice><xsl:value-of select="price"/></UnitPrice>
            <TaxCode><xsl:value-of select="number(taxable = 'true')"/></TaxCode>
            <Reference><xsl:value-of select="../../name"/></Reference>
          </Item>
        </xsl:for-each>
      </SalesOrderItems>
      <Carriage>
        <xsl:call-template name="if-not-empty">
          <xsl:with-param name="name">Name</xsl:with-param>
          <xsl:with-param name="value" select="string(shipping-lines/shipping-line[1]/title)"/>
        </xsl:call-template>
        <QtyOrdered>1</QtyOrdered>
        <UnitPrice><xsl:value-of select="sum(shipping-lines/shipping-line/price)"/></UnitPrice>
        <TaxCode>1</TaxCode>
      </Carriage>
    </SalesOrder>
  </xsl:template>

  <xsl:template match="billing-address" mode="contact">
    <xsl:param name="email"/>
    <Forename><xsl:value-of select="first-name"/></Forename>
    <Surname><xsl:value-of select="last-name"/></Surname>
    <xsl:call-template name="if-not-empty">
      <xsl:with-param name="name">Company</xsl:with-param>
      <xsl:with-param name="value" select="string(company)"/>
    </xsl:call-template>
    <Address1><xsl:value-of select="address1"/></Address1>
    <xsl:call-template name="if-not-empty">
      <xsl:with-param name="name">Address2</xsl:with-param>
      <xsl:with-param name="value" select="string(address2)"/>
    </xsl:call-template>
    <Town><xsl:value-of select="city"/></Town>
    <xsl:call-template name="if-not-empty">
      <xsl:with-param name="name">County</xsl:with-param>
      <xsl:with-param name="value" select="string(province)"/>
    </xsl:call-template>
    <Postcode><xsl:value-of select="zip"/></Postcode>
    <Country><xsl:value-of select="country-code"/></Country>
    <xsl:call-template name="if-not-empty">
      <xsl:with-param name="name">Telephone</xsl:with-param>
      <xsl:with-param name="value" select="string(phone)"/>
    </xsl:call-template>
    <Email><xsl:value-of select="$email"/></Email>
  </xsl:template>
</xsl:stylesheet>
